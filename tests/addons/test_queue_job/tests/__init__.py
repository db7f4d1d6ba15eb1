from . import test_with_delay
from . import test_job_graph
