from . import shop
