from . import test_with_delay
