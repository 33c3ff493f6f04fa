"""Work done once when the platform starts, before it serves anything."""

import logging

logger = logging.getLogger(__name__)

# Apps append callables here (e.g. re-queue jobs a killed worker left running); each runs once.
RECOVERY_HOOKS: list = []


def recover_after_restart() -> None:
    for hook in RECOVERY_HOOKS:
        try:
            hook()
        except Exception:  # one app's recovery must not keep the portal from starting
            logger.exception("start-up recovery %s failed", getattr(hook, "__name__", hook))
