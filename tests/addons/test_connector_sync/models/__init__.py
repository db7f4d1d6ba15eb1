from . import test_sync_backend
from . import test_sync_partner
from . import test_sync_remote_partner
