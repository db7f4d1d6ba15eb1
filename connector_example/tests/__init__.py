from . import test_adapter_errors
from . import test_batch_import_graph
from . import test_example_backend
from . import test_mappers
from . import test_backend_channel
from . import test_webhook_backend
