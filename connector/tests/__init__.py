from . import test_backend
from . import test_installed
from . import test_session
from . import test_event
from . import test_checkpoint
from . import test_job_delay
from . import test_bulk_enqueue
from . import test_queue_job_channel
