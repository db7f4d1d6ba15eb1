from . import oscar_backend
from . import oscar_product_product
from . import oscar_res_partner
from . import oscar_sale_order
