from . import test_binder
from . import test_binding_unique
from . import test_environment
from . import test_security
