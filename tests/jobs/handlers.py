"""Job handlers for the tests (kinds "test.*"), registered once when this module is first imported.

``Gates`` lets a test stop a handler at named checkpoints: the handler waits there until the test, having
looked at the database from its own session, releases it. Every wait is bounded so a bug fails, never hangs.
"""

import threading

from marketplace.extensions import db
from marketplace.jobs import job_handler
from marketplace.models import BuyerOrganisation
from marketplace.validators import ServiceError

WAIT_SECONDS = 30  # a bound on waits, not a timing assertion


class Gates:
    def __init__(self):
        self._reached: dict[str, threading.Event] = {}
        self._released: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self.seen: dict[str, object] = {}

    def _events(self, name):
        with self._lock:
            return (self._reached.setdefault(name, threading.Event()),
                    self._released.setdefault(name, threading.Event()))

    def checkpoint(self, name: str) -> None:
        reached, released = self._events(name)
        reached.set()
        if not released.wait(WAIT_SECONDS):
            raise RuntimeError(f"checkpoint {name!r} never released")

    def wait_reached(self, name: str) -> None:
        reached, _ = self._events(name)
        assert reached.wait(WAIT_SECONDS), f"the handler never reached {name!r}"

    def release(self, name: str) -> None:
        self._events(name)[1].set()


GATES: dict[str, Gates] = {}
CALLS: list[tuple[str, dict]] = []


@job_handler("test.echo")
def echo(payload, progress):
    CALLS.append(("test.echo", payload))
    progress(0.5, "À mi-chemin")
    return {"echo": payload, "url": "/acheteur/", "job": progress.job_id, "by": progress.created_by_id}


@job_handler("test.steps")
def steps(payload, progress):
    """Progress before any write, with uncommitted writes, after a commit; one write left to the job's end."""
    gates = GATES[payload["gates"]]
    progress(0.25, "Préparation")
    gates.checkpoint("prepared")
    db.session.add(BuyerOrganisation(name=f"{payload['gates']} un"))
    db.session.flush()  # the handler's transaction now holds the write (on SQLite, the database's write lock)
    skipped_before = progress.skipped
    progress(0.5, "Écriture")
    gates.seen["skipped_while_writing"] = progress.skipped - skipped_before
    gates.checkpoint("written")
    db.session.commit()
    progress(0.75, "Enregistré")
    gates.checkpoint("committed")
    db.session.add(BuyerOrganisation(name=f"{payload['gates']} deux"))  # committed with the job's "done"
    return {"organisations": 2, "url": "/acheteur/"}


@job_handler("test.refuse")
def refuse(payload, progress):
    db.session.add(BuyerOrganisation(name="Refusée"))
    db.session.flush()
    progress(0.3, "Vérification")
    raise ServiceError({"slot": "Le créneau est complet."})


@job_handler("test.crash")
def crash(payload, progress):
    db.session.add(BuyerOrganisation(name="Plantée"))
    db.session.flush()
    raise RuntimeError("secret internal detail")


@job_handler("test.not_json")
def not_json(payload, progress):
    return {"when": object()}
