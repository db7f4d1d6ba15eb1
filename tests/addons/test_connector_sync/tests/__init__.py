from . import test_backend_adapter
from . import test_exporter
from . import test_importer
from . import test_job_about
from . import test_sync_jobs
from . import test_two_way
