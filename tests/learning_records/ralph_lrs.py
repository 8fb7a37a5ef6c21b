"""Ralph's LRS (``ralph.api:app``, what ``ralph runserver`` serves) for the tests, with one change:
its filesystem backend appends each batch to its store. Ralph 5.1's ``FSLRSBackend`` writes with
``CREATE``, which refuses every batch after the first (500, "Statements bulk indexation failed")
once its file exists; APPEND is an operation the backend supports, just not its default."""

from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # noqa: E402  (after the change: the app builds its backend on import)

__all__ = ["app"]
