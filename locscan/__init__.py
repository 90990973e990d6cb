"""locscan: a location scan for housing temporary international workers in Dutch regions.

The modules follow the data flow: ``layers`` -> ``candidates`` -> ``measures`` -> ``criteria``
-> ``longlist`` (-> ``shortlist``). Call them as modules, e.g. ``locscan.measures.compute``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("locscan")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
