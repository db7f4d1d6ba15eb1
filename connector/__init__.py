from . import models
from .installed import install_in_connector

install_in_connector()
