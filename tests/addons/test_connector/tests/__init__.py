from . import test_binder
from . import test_binding_unique
from . import test_environment
from . import test_security
from . import test_mapper_children
from . import test_mapper_direct
from . import test_mapper_errors
from . import test_mapper_methods
