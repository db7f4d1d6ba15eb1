from . import base
from . import connector_backend
from . import external_binding
