from . import connector_backend
from . import external_binding
