from . import base
from . import connector_backend
from . import connector_checkpoint
from . import external_binding
