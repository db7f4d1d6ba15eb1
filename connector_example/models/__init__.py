from . import example_backend
from . import example_res_partner
