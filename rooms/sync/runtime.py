"""The live documents of this process: one pycrdt ``Doc`` per open document, shared by every
connection to it, with the edit path of docs/architecture.md.

An accepted update is applied to the live document, appended to the log and committed (many
updates share one transaction: group commit), and only then sent to the other connections of
this process and, through the channel layer, to other processes. A connection never gets its
own update back. A process that sees a gap in the sequence numbers reads the missing updates
from the log.

The runtime depends on the wire format (``protocol``), the document log (``log``) and what it
is given at start-up (``configure``): an access policy that says who may still read and write
the open documents, and hooks told when a live document's update is committed and when the
last client leaves (search indexing, compaction). It imports no service, selector or task.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
import weakref
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings
from django.db import connection
from pycrdt import Doc, Subscription, TransactionEvent, merge_updates

from rooms.core import metrics
from rooms.core.access_changes import ACCESS_GROUP, ACCESS_MESSAGE
from rooms.core.process_channels import new_process_channel
from rooms.core.request_context import outside_any_connection
from rooms.core.threads import on_own_connection, own_thread
from rooms.sync import log
from rooms.sync.access import AccessPolicy, AccessReading
from rooms.sync.awareness import CHANGED, RENEWED, AwarenessTable
from rooms.sync.protocol import (
    AwarenessEntry,
    AwarenessUpdate,
    decode_frame,
    encode_awareness,
    encode_sync_step2,
    encode_sync_update,
)
from rooms.sync.update_shape import UpdateShape, read_update

logger = logging.getLogger(__name__)

EMPTY_UPDATE = b"\x00\x00"
EMPTY_STATE_VECTOR = b"\x00"  # what a client with an empty document syncs from
CLOSE_RECONNECT = 1012  # "service restart": y-websocket clients reconnect and resync
CLOSE_SERVER_ERROR = 1011  # the commit failed: clients reconnect and re-send
CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
# The channel-layer message of a document's awareness changes, for the other processes.
AWARENESS_MESSAGE = "doc.awareness"


class Peer(Protocol):
    """What the runtime needs of a connection."""

    user_id: int | None
    session_key: str | None  # the browser session it authenticated with, if any
    token_digest: str | None  # the API token it authenticated with, if any
    # The share link it was opened through, if any: then the link alone decides its access.
    link_digest: str | None
    # When its access ends by itself (a share link's expiry): the next sweep after it re-checks.
    access_expires_at: datetime | None
    can_write: bool

    async def send_frame(self, frame: bytes) -> None: ...

    async def close_with(self, code: int) -> None: ...


class DocumentFull(Exception):
    """The document has as many connections as it may have."""


class ShuttingDown(Exception):
    """The process is stopping; the client should reconnect (to another process)."""


class DocumentTooLarge(Exception):
    """Accepting the update would take the document past its size limit."""


class LiveHooks(Protocol):
    """What is told about the live documents of this process, on its event loop. Neither
    method may raise or block: slow work goes to a thread or a task."""

    def committed(self, live: LiveDocument) -> None:
        """An update of ``live`` was committed (and is being fanned out)."""

    async def unloaded(self, live: LiveDocument) -> None:
        """The last client of ``live`` left; it is no longer in the runtime."""


@dataclass(frozen=True)
class Setup:
    """What the runtimes of this process are given (``configure``)."""

    access: AccessPolicy
    hooks: Sequence[LiveHooks] = ()


_setup: Setup | None = None


def configure(*, access: AccessPolicy, hooks: Sequence[LiveHooks] = ()) -> None:
    """Give every runtime of this process its access policy and hooks (at start-up, before
    the first socket; ``rooms.apps`` does)."""
    global _setup
    _setup = Setup(access=access, hooks=tuple(hooks))


class UpdateRejected(Exception):
    """Yrs refused an update that passed the structural check."""

    def __init__(self, reason: str, *, partly_applied: bool) -> None:
        super().__init__(reason)
        self.partly_applied = partly_applied


class MissingDependencies(Exception):
    """The update builds on edits this process does not have yet (a browser tab can see a
    peer's edit over BroadcastChannel before the server does). It is not applied: Yrs would
    hold it as pending, which is unsafe; the client is asked to send what is missing."""


# Yrs panics surface as pyo3's PanicException, which derives from BaseException.
_NOT_YRS_ERRORS = (KeyboardInterrupt, SystemExit, asyncio.CancelledError, GeneratorExit)


@dataclass(eq=False)
class LiveDocument:
    """One open document in this process."""

    id: uuid.UUID
    doc: Doc[Any]
    seq: int
    size: int  # bytes of stored state and log: an upper bound of the encoded document
    peers: set[Peer] = field(default_factory=set)
    awareness: AwarenessTable[Peer] = field(default_factory=AwarenessTable)
    pending_commits: int = 0
    committed: asyncio.Event = field(default_factory=asyncio.Event)
    repair_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    awareness_flush: asyncio.TimerHandle | None = None
    _changes: list[bytes] = field(default_factory=list)
    _observing: Subscription | None = None
    _whole_step2: bytes | None = None  # see sync_step2; None once the document changes

    def __post_init__(self) -> None:
        self.committed.set()
        self._observing = self.doc.observe(self._changed)

    def _changed(self, event: TransactionEvent) -> None:
        self._changes.append(event.update)
        self._whole_step2 = None

    def sync_step2(self, state_vector: bytes) -> bytes:
        """The sync step 2 frame that brings a client at ``state_vector`` up to date. For a
        client that has nothing it is encoded once per change of the document and is the same
        bytes object each time, which the server then frames once too: in a join storm (a
        class opening the same document) each encoding of a large document cost milliseconds
        of the event loop per client."""
        if state_vector != EMPTY_STATE_VECTOR:
            return encode_sync_step2(self.doc.get_update(state_vector))
        if self._whole_step2 is None:
            self._whole_step2 = encode_sync_step2(self.doc.get_update(state_vector))
        return self._whole_step2

    def release(self) -> None:
        """Stop observing the document, once nothing will be integrated into it again. The
        subscription holds the ``Doc`` from Yrs' side, where Python's garbage collector cannot
        see it: without this, a document is never freed after it is unloaded."""
        if self._observing is not None:
            self.doc.unobserve(self._observing)
            self._observing = None

    def integrate(self, update: bytes, shape: UpdateShape | None = None) -> bytes:
        """Apply an update, whose ``shape`` the decoder read if it came from a client (else it
        is read here); return Yrs' encoding of what was new (empty if nothing was).

        Raises ``MissingDependencies`` for an update that would leave structs pending,
        ``update_shape.MalformedInput`` for one that is not well-formed, and
        ``UpdateRejected`` if Yrs fails on it (``partly_applied`` when it changed the document
        before failing).
        """
        if (shape or read_update(update)).leaves_pending(self.doc.get_state()):
            raise MissingDependencies
        self._changes.clear()
        try:
            self.doc.apply_update(update)
        except BaseException as error:
            if isinstance(error, _NOT_YRS_ERRORS):
                raise
            raise UpdateRejected(str(error), partly_applied=bool(self._changes)) from error
        changes, self._changes = self._changes, []
        return changes[0] if len(changes) == 1 else merge_updates(*changes)

    async def wait_committed(self) -> None:
        """Return once every update applied so far is committed, so what is served is durable."""
        while self.pending_commits:
            await self.committed.wait()


def _sweep_read(
    access: AccessPolicy, document_ids: list[uuid.UUID]
) -> tuple[int, dict[uuid.UUID, int]]:
    """The access epoch, and the newest committed update of each document."""
    return access.epoch(), log.last_seqs(document_ids)


def _append(batch: list[log.PendingUpdate]) -> list[int | None]:
    """``log.updates_append`` on the commit thread's connection; after a failure it is
    closed, so the next batch starts on a fresh one."""
    try:
        return log.updates_append(batch)
    except Exception:
        connection.close()
        raise


class GroupCommitter:
    """Appends updates to the log in batches: while one transaction runs, the next fills."""

    def __init__(self) -> None:
        self._queue: list[tuple[log.PendingUpdate, asyncio.Future[int | None]]] = []
        self._wake = asyncio.Event()
        self._busy = False
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def drain(self) -> None:
        """Return once everything queued so far has been committed (or has failed)."""
        while self._queue or self._busy:
            await asyncio.sleep(0.01)

    def submit(self, pending: log.PendingUpdate) -> asyncio.Future[int | None]:
        """Queue one update; the future gives its sequence number (``None`` if the document is
        gone) or raises what the database raised if the transaction failed. Updates commit in
        the order they were submitted, and their futures resolve in that order."""
        future: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
        self._queue.append((pending, future))
        self._wake.set()
        return future

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            batch, self._queue = self._queue, []
            if not batch:
                continue
            self._busy = True
            try:
                seqs = await asyncio.get_running_loop().run_in_executor(
                    own_thread("commit"), _append, [pending for pending, _ in batch]
                )
            except Exception as error:
                logger.exception("group commit of %d updates failed", len(batch))
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            finally:
                self._busy = False
            for (_, future), seq in zip(batch, seqs, strict=True):
                if not future.done():  # its connection may have gone meanwhile
                    future.set_result(seq)


class Runtime:
    """The documents open in this process (one runtime per event loop)."""

    def __init__(self, setup: Setup) -> None:
        self.access = setup.access
        self.hooks = setup.hooks
        self.process_id = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.shutting_down = False
        self.documents: dict[uuid.UUID, LiveDocument] = {}
        self._opening: dict[uuid.UUID, asyncio.Future[LiveDocument]] = {}
        self.committer = GroupCommitter()
        self.layer = get_channel_layer()
        # An in-memory layer reaches this process only, and this process already has every
        # update it commits: publishing them would only cost their own drop in ``_listen``.
        # (The layer still brings REST writes made in this process: see ``_listen``.)
        self.reaches_other_processes = not isinstance(self.layer, InMemoryChannelLayer)
        self._channel: str | None = None
        self._layer_failures = 0  # channel layer calls failed in a row
        # The access epoch the open connections were last re-checked under; while a re-check
        # announced by another process runs, nothing is accepted from or sent to them.
        self.access_epoch_checked: int | None = None
        self._access_settled = asyncio.Event()
        self._access_settled.set()
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._listen()), loop.create_task(self._sweep())]

    # --- opening and closing -----------------------------------------------------------

    async def join(self, document_id: uuid.UUID, peer: Peer) -> LiveDocument:
        """Open the document if needed and add the peer to it.

        Raises ``log.DocumentGone`` if it does not exist, ``DocumentFull`` at the connection
        limit, and ``ShuttingDown`` once the process is stopping.
        """
        if self.shutting_down:
            raise ShuttingDown
        live = self.documents.get(document_id)
        if live is None:
            live = await self._open(document_id)
        if len(live.peers) >= settings.COLLAB_MAX_CONNECTIONS_PER_DOCUMENT:
            raise DocumentFull(str(document_id))
        live.peers.add(peer)
        return live

    async def _open(self, document_id: uuid.UUID) -> LiveDocument:
        if (opening := self._opening.get(document_id)) is not None:
            return await asyncio.shield(opening)
        future: asyncio.Future[LiveDocument] = asyncio.get_running_loop().create_future()
        self._opening[document_id] = future
        try:
            stored = await database_sync_to_async(log.document_load)(document_id)
            # Replaying a long log takes a while: off the event loop, so others' edits go on.
            doc = await asyncio.to_thread(stored.to_doc)
            live = LiveDocument(id=document_id, doc=doc, seq=stored.seq, size=stored.size)
            self.documents[document_id] = live
            await self._subscribe(document_id)
            future.set_result(live)
            return live
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved: a failed open with no other waiter is not an error
            raise
        finally:
            del self._opening[document_id]

    async def leave(self, live: LiveDocument, peer: Peer) -> None:
        """Remove a peer; its awareness states go at once; the last one out unloads the
        document after its pending commits are done."""
        live.peers.discard(peer)
        gone = live.awareness.remove_owner(peer, self._now())
        if gone:
            await self._broadcast_awareness(live, gone, exclude=None)
        if live.peers:
            return
        await live.wait_committed()
        if live.peers:
            return
        live.release()
        if self.documents.get(live.id) is live:
            if live.awareness_flush is not None:
                live.awareness_flush.cancel()  # nobody is left to tell
            del self.documents[live.id]
            await self._unsubscribe(live.id)
            for hooks in self.hooks:
                await hooks.unloaded(live)

    # --- the edit path ---------------------------------------------------------------------

    async def accept_update(
        self, live: LiveDocument, peer: Peer, update: bytes, shape: UpdateShape
    ) -> Awaitable[int] | None:
        """Apply one update from ``peer`` (with the ``shape`` the decoder read) now, and queue
        its commit; return what waits for the
        commit and then fans the update out (``commit_and_fan_out``), or ``None`` when the
        update held nothing new.

        A connection need not wait for one update's commit before handing over the next
        (it pipelines them): they are applied, committed and fanned out in the order given.
        Raises ``MissingDependencies`` (nothing applied), ``UpdateRejected`` for an update Yrs
        refuses and ``DocumentTooLarge``. After a partly applied update the live document is
        dropped (its other clients reconnect), so nothing uncommitted is ever served.
        """
        arrived = metrics.clock()
        if live.size + len(update) > settings.COLLAB_MAX_DOCUMENT_BYTES:
            raise DocumentTooLarge(str(live.id))
        try:
            change = live.integrate(update, shape)
        except UpdateRejected as error:
            if error.partly_applied:
                await self._drop(live, code=CLOSE_RECONNECT, exclude=peer)
            raise
        if not change or change == EMPTY_UPDATE:
            return None
        live.size += len(change)
        live.pending_commits += 1
        live.committed.clear()
        committing = self.committer.submit(
            log.PendingUpdate(document_id=live.id, data=change, author_id=peer.user_id)
        )
        return self.commit_and_fan_out(live, peer, change, committing, arrived)

    async def commit_and_fan_out(
        self,
        live: LiveDocument,
        peer: Peer,
        change: bytes,
        committing: asyncio.Future[int | None],
        arrived: float,
    ) -> int:
        """Wait for an applied update's commit, then send it to this process's other
        connections and publish it to the other processes; return its sequence number.

        Raises ``log.DocumentGone`` if the document was deleted, and the database's error if
        the commit failed; either way the live document is dropped and its sockets closed
        (4404, or 1011 so that the clients reconnect and re-send what the log lacks).
        """
        try:
            seq = await committing
        except Exception:
            await self._drop(live, code=CLOSE_SERVER_ERROR)
            raise
        finally:
            live.pending_commits -= 1
            if not live.pending_commits:
                live.committed.set()
        if seq is None:
            await self._drop(live, code=CLOSE_NOT_FOUND)
            raise log.DocumentGone(str(live.id))
        # Commits resolve in sequence order: note the number before anything else can run.
        if seq == live.seq + 1:
            live.seq = seq
        elif seq > live.seq + 1:  # another process committed in between
            asyncio.get_running_loop().create_task(self._repair(live))
        committed = metrics.update_committed(arrived)
        await self._access_settled.wait()
        await self._fan_out(live, encode_sync_update(change), exclude=peer)
        metrics.update_fanned_out(committed)
        await self._publish(log.update_message(live.id, seq, change, self.process_id))
        for hooks in self.hooks:
            hooks.committed(live)
        return seq

    async def _fan_out(self, live: LiveDocument, frame: bytes, exclude: Peer | None) -> None:
        """Send to every peer but ``exclude``. A peer whose socket is already closing fails
        alone: it is dropped and everyone else still gets the frame."""
        for peer in list(live.peers):
            if peer is not exclude:
                await self._send(live, peer, frame)

    @staticmethod
    async def _send(live: LiveDocument, peer: Peer, frame: bytes) -> None:
        """Send to one peer; one whose socket is already closing is dropped, and nothing is
        raised."""
        try:
            await peer.send_frame(frame)
        except Exception:
            logger.debug("dropping a peer that could not be sent to", exc_info=True)
            live.peers.discard(peer)

    async def _drop(self, live: LiveDocument, code: int, exclude: Peer | None = None) -> None:
        """Forget a document whose memory may differ from the log; its clients reconnect and
        re-send what the log lacks."""
        if self.documents.get(live.id) is live:
            del self.documents[live.id]
            await self._unsubscribe(live.id)
        if not live.peers:
            live.release()  # else the last of them to leave releases it
        for peer in list(live.peers):
            if peer is not exclude:
                await peer.close_with(code)

    # --- awareness -------------------------------------------------------------------------

    async def accept_awareness(
        self,
        live: LiveDocument,
        peer: Peer,
        entries: tuple[AwarenessEntry, ...],
        identity: dict[str, Any],
    ) -> None:
        """Record a peer's awareness states, stamped with the identity the server knows, and
        schedule one coalesced broadcast."""
        outcome, refused = live.awareness.apply_local(peer, entries, identity)
        if refused:
            await peer.send_frame(encode_awareness(refused))
        if outcome == CHANGED:
            self._schedule_awareness(live, settings.COLLAB_AWARENESS_FLUSH_SECONDS)
        elif outcome == RENEWED:
            self._schedule_awareness(live, settings.COLLAB_AWARENESS_RENEWAL_FLUSH_SECONDS)

    def _schedule_awareness(self, live: LiveDocument, delay: float) -> None:
        """Flush the document's awareness within ``delay``; a flush already due sooner stands
        (and carries whatever is waiting), one due later is brought forward."""
        loop = asyncio.get_running_loop()
        flush = live.awareness_flush
        if flush is not None:
            if flush.when() <= loop.time() + delay:
                return
            flush.cancel()
        live.awareness_flush = loop.call_later(
            delay, lambda: asyncio.ensure_future(self._flush_awareness(live))
        )

    async def _flush_awareness(self, live: LiveDocument) -> None:
        live.awareness_flush = None
        await self._access_settled.wait()
        entries = live.awareness.take_dirty()
        if entries:
            await self._broadcast_awareness(live, entries, exclude=None)

    async def _broadcast_awareness(
        self, live: LiveDocument, entries: list[AwarenessEntry], exclude: Peer | None
    ) -> None:
        frame = encode_awareness(entries)
        await self._fan_out(live, frame, exclude=exclude)
        await self._publish_awareness(live, frame)

    async def _publish_awareness(self, live: LiveDocument, frame: bytes) -> None:
        await self._publish(
            {
                "type": AWARENESS_MESSAGE,
                "frame": frame,
                "document": str(live.id),
                "process": self.process_id,
            }
        )

    def awareness_snapshot(self, live: LiveDocument) -> bytes | None:
        """Every present awareness state of the document, for a newcomer."""
        entries = live.awareness.present()
        return encode_awareness(entries) if entries else None

    # --- other processes -------------------------------------------------------------------

    async def _channel_name(self) -> str:
        if self._channel is None:
            self._channel = await new_process_channel(self.layer)
        return self._channel

    async def _subscribe(self, document_id: uuid.UUID) -> None:
        await self._layer_call(
            self.layer.group_add, log.group_name(document_id), await self._channel_name()
        )

    async def _unsubscribe(self, document_id: uuid.UUID) -> None:
        await self._layer_call(
            self.layer.group_discard, log.group_name(document_id), await self._channel_name()
        )

    async def _publish(self, message: dict[str, Any]) -> None:
        """Send a message of the document's group (a committed update, an awareness frame)
        to the other processes with it open."""
        if self.reaches_other_processes:
            await self._layer_call(log.publish, self.layer, message)

    async def _layer_call(self, call: Callable[..., Awaitable[Any]], *args: Any) -> None:
        """The channel layer is a fast path only: when it fails, the log and the sweep
        still bring every process up to date. A failure is logged once per outage (with
        Redis down every update's publish fails: thousands a minute), and its end once."""
        try:
            await call(*args)
        except Exception:
            if not self._layer_failures:
                logger.warning(
                    "channel layer call %s failed; until it is back, other processes get "
                    "this process's edits from the log",
                    call.__name__,
                    exc_info=True,
                )
            self._layer_failures += 1
        else:
            if self._layer_failures:
                logger.warning("channel layer back after %d failed calls", self._layer_failures)
                self._layer_failures = 0

    async def _listen(self) -> None:
        await self._layer_call(self.layer.group_add, ACCESS_GROUP, await self._channel_name())
        while True:
            try:
                message = await self.layer.receive(await self._channel_name())
            except Exception:
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    raise  # channels-redis may turn a cancellation into another error
                logger.warning("channel layer receive failed", exc_info=True)
                await asyncio.sleep(1)
                continue
            if message["type"] == ACCESS_MESSAGE:
                await self._access_changed(message["epoch"])
                continue
            if message.get("process") == self.process_id:
                continue
            live = self.documents.get(uuid.UUID(message["document"]))
            if live is None:
                continue
            if message["type"] == log.UPDATE_MESSAGE:
                await self._accept_remote(live, message["seq"], message["update"])
            elif message["type"] == AWARENESS_MESSAGE:
                await self._accept_remote_awareness(live, message["frame"])

    async def _accept_remote(self, live: LiveDocument, seq: int, update: bytes) -> None:
        if seq <= live.seq:
            return
        if seq > live.seq + 1:
            await self._repair(live)
            return
        live.seq = seq
        change = live.integrate(update)
        if change and change != EMPTY_UPDATE:
            await self._fan_out(live, encode_sync_update(change), exclude=None)

    async def _accept_remote_awareness(self, live: LiveDocument, frame: bytes) -> None:
        decoded = decode_frame(
            frame, max_frame_bytes=len(frame), max_awareness_state_bytes=len(frame)
        )
        if isinstance(decoded, AwarenessUpdate):
            outcome = live.awareness.apply_remote(decoded.entries, self._now())
            if outcome.changed:
                await self._fan_out(live, encode_awareness(outcome.changed), exclude=None)
            if outcome.republish:
                await self._publish_awareness(live, encode_awareness(outcome.republish))
            for owner, removal in outcome.told:
                await self._send(live, owner, encode_awareness([removal]))

    async def _repair(self, live: LiveDocument) -> None:
        """Read what this process missed from the log, apply it, and send it on."""
        async with live.repair_lock:
            metrics.GAP_REPAIRS.inc()
            state, missing = await database_sync_to_async(log.catch_up)(live.id, live.seq)
            if state is not None:  # the missing updates were compacted into the state
                change = live.integrate(state.data)
                live.seq = state.seq
                if change and change != EMPTY_UPDATE:
                    await self._fan_out(live, encode_sync_update(change), exclude=None)
            for seq, update in missing:
                if seq != live.seq + 1:
                    break
                live.seq = seq
                change = live.integrate(update)
                if change and change != EMPTY_UPDATE:
                    await self._fan_out(live, encode_sync_update(change), exclude=None)
            if missing:
                logger.debug("repaired document %s up to %d", live.id, live.seq)

    async def _recheck(self, live: LiveDocument, reading: AccessReading, asked: set[Any]) -> None:
        """Apply changes of membership, role, lock, logout and token revocation to the open
        connections ``asked`` about. One that connected while the reading was under way is
        not in it: it was checked at its connect, and the next re-check covers it (judging it
        by a reading that never asked about it closed sockets of a connection storm with 4401
        and 4403)."""
        grants = reading.grants.get(live.id)
        for peer in list(live.peers):
            if peer not in asked:
                continue
            if peer.link_digest:
                await self._recheck_link(live, peer, reading, grants)
                continue
            signed_in = (
                peer.token_digest in reading.tokens
                if peer.token_digest
                else peer.session_key in reading.sessions
            )
            if not signed_in:
                await peer.close_with(CLOSE_NOT_AUTHENTICATED)
            elif grants is None:
                await peer.close_with(CLOSE_NOT_FOUND)
            elif peer.user_id not in grants:
                await peer.close_with(CLOSE_FORBIDDEN)
            else:
                peer.can_write = grants[peer.user_id]

    @staticmethod
    async def _recheck_link(
        live: LiveDocument, peer: Peer, reading: AccessReading, grants: dict[int, bool] | None
    ) -> None:
        """A socket opened through a share link: closed with 4401 once the link is revoked or
        expired, as a socket whose API token was revoked."""
        if grants is None:
            await peer.close_with(CLOSE_NOT_FOUND)
        elif peer.link_digest not in reading.links:
            await peer.close_with(CLOSE_NOT_AUTHENTICATED)
        else:
            peer.can_write = reading.links[peer.link_digest]

    async def access_settled(self) -> None:
        """Return once no announced change of access is being re-checked: a connection waits
        for this before it acts on a frame, so a write sent after the change was announced is
        judged by the access after it."""
        await self._access_settled.wait()

    async def _access_changed(self, epoch: int) -> None:
        """Another request changed access (``rooms.core.access_changes``): re-check every open
        connection now, holding their frames and fan-out meanwhile."""
        if self.access_epoch_checked is not None and epoch <= self.access_epoch_checked:
            return
        self._access_settled.clear()
        try:
            if self.documents:
                await self._recheck_all()
            self.access_epoch_checked = max(epoch, self.access_epoch_checked or 0)
        except Exception:
            logger.warning("access re-check failed; the sweep tries again", exc_info=True)
        finally:
            self._access_settled.set()

    @staticmethod
    def _now() -> float:
        return asyncio.get_running_loop().time()

    @staticmethod
    async def _on_sweep_thread(function: Callable[..., Any], *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(own_thread("sweep"), on_own_connection, function, *args)

    async def _sweep(self) -> None:
        """Every few seconds: expire relayed awareness, repair gaps, and re-check access when
        the access epoch moved (or a full ``COLLAB_ACCESS_RECHECK_SECONDS`` went by)."""
        recheck_due = 0.0
        while True:
            await asyncio.sleep(settings.COLLAB_SYNC_SWEEP_SECONDS)
            if not self.documents:
                continue
            for live in list(self.documents.values()):
                expired = live.awareness.expire_remote(self._now())
                if expired:
                    await self._fan_out(live, encode_awareness(expired), exclude=None)
            try:
                epoch, last_seqs = await self._on_sweep_thread(
                    _sweep_read, self.access, list(self.documents)
                )
                for document_id, seq in last_seqs.items():
                    behind = self.documents.get(document_id)
                    if behind is not None and seq > behind.seq and not behind.pending_commits:
                        await self._repair(behind)
                checked = self.access_epoch_checked
                if (
                    checked is None
                    or epoch > checked
                    or self._now() >= recheck_due
                    or self._access_expired()
                ):
                    await self._recheck_all()
                    self.access_epoch_checked = max(epoch, self.access_epoch_checked or 0)
                    recheck_due = self._now() + settings.COLLAB_ACCESS_RECHECK_SECONDS
                    # channels-redis forgets a group membership after a day.
                    await self._layer_call(
                        self.layer.group_add, ACCESS_GROUP, await self._channel_name()
                    )
            except Exception:
                logger.warning("sweep could not read the database", exc_info=True)

    def _access_expired(self) -> bool:
        """Whether a connection's access has ended by itself since it was last checked (an
        expired share link: no write moves the access epoch for that)."""
        now = datetime.now(UTC)
        return any(
            peer.access_expires_at is not None and peer.access_expires_at <= now
            for live in self.documents.values()
            for peer in live.peers
        )

    async def _recheck_all(self) -> None:
        """Re-read the access of every open connection (in one trip) and apply it."""
        documents = list(self.documents.values())
        peers = [peer for live in documents for peer in live.peers]
        reading = await self._on_sweep_thread(
            self.access.read,
            {
                live.id: {
                    peer.user_id
                    for peer in live.peers
                    if peer.user_id is not None and not peer.link_digest
                }
                for live in documents
            },
            {peer.session_key for peer in peers if peer.session_key},
            {peer.token_digest for peer in peers if peer.token_digest},
            {peer.link_digest for peer in peers if peer.link_digest},
        )
        asked = set(peers)
        for live in documents:
            await self._recheck(live, reading, asked)


async def shutdown_runtime(loop: asyncio.AbstractEventLoop) -> None:
    """Stop this loop's runtime, if it has one: refuse new sockets, close the open ones with
    1012 so their clients reconnect elsewhere, and wait until every accepted update is
    committed."""
    runtime = _runtimes.get(loop)
    if runtime is None:
        return
    runtime.shutting_down = True
    for live in list(runtime.documents.values()):
        for peer in list(live.peers):
            await peer.close_with(CLOSE_RECONNECT)
    await runtime.committer.drain()


_runtimes: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Runtime] = (
    weakref.WeakKeyDictionary()
)


def get_runtime() -> Runtime:
    """The runtime of the running event loop (Daphne has one; each test may have its own)."""
    loop = asyncio.get_running_loop()
    runtime = _runtimes.get(loop)
    if runtime is None:
        setup = _setup
        if setup is None:
            raise RuntimeError("the sync runtime was not configured (rooms.apps does it)")
        # Its tasks outlive the socket that opened it: they log under no connection's id.
        runtime = _runtimes[loop] = outside_any_connection(lambda: Runtime(setup))
    return runtime


def loaded_documents() -> int:
    """Documents open in this process (in every runtime: one per event loop), for metrics."""
    return sum(len(runtime.documents) for runtime in list(_runtimes.values()))


metrics.count_loaded_documents(loaded_documents)
