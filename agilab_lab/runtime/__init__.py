"""The AGILab-style runtime: app contract, AGI facade, dispatcher, backends, run records."""

from .agi import AGI
from .contract import BaseManager, ItemResult, WorkItem
from .errors import AppNotFound, BadArgs, RunNotFound, RuntimeFailure
from .node import BaseWorker, Item
from .records import RunRecord
from .requests import RunRequest

__all__ = [
    "AGI", "AppNotFound", "BadArgs", "BaseManager", "BaseWorker", "Item", "ItemResult", "RunNotFound",
    "RunRecord", "RunRequest", "RuntimeFailure", "WorkItem",
]
