from . import cli
from . import models
from . import unit
from .installed import install_in_connector

install_in_connector()
