from . import webhook_sender
from . import webhook_delivery
from . import res_partner
