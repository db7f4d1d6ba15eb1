from . import test_example_backend
