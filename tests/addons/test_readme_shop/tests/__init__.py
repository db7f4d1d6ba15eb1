from . import test_readme_example
