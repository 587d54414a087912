"""The presence registry in Redis, shared by every process and machine (``REDIS_URL`` set).

Keys, under a prefix:

- ``room:{room}:conns:{user}``: hash, connection id -> JSON ``{"s": status, "v": viewing,
  "t": when viewing was set (strictly increasing ms, 0: never)}``
- ``room:{room}:members``: hash, user id -> JSON ``{"s", "v", "n": connections}``, the user's
  state over their connections, kept by every write so reading a room is one ``HGETALL``
- ``expiry``: sorted set of ``"{room} {user} {connection}"`` scored by expiry (ms), which the
  sweep reads; the user is in the entry so a sweep can still report who left after the
  hashes above expired

Every operation is one Lua script (one round trip, atomic). Both hashes of a room get a key
expiry renewed by each heartbeat, so the data of processes that all crashed vanishes from
Redis even if no sweep ever runs. The sweep script derives key names from ``expiry``'s
entries, which suits a single Redis (not a cluster).
"""

from __future__ import annotations

import functools
import json
import time
from typing import Any

import redis.asyncio as aioredis

from presence.registry_interface import (
    Change,
    Clock,
    MemberState,
    RoomAtCapacity,
    Status,
    SweepTurn,
    UnknownConnection,
    merge_changes,
)

# Connections to Redis per registry (per event loop), and how long a call waits for one.
POOL_SIZE = 32
POOL_WAIT_SECONDS = 20.0

SWEEP_BATCH = 500

# The user's state over their connections, as stored in ``members`` (false if none left).
_LUA_AGGREGATE = """
local function aggregate(conns_key)
  local fields = redis.call('HGETALL', conns_key)
  local count, online, newest, viewing = 0, false, 0, cjson.null
  for i = 2, #fields, 2 do
    local c = cjson.decode(fields[i])
    count = count + 1
    if c.s == 'online' then online = true end
    if c.t > newest then newest = c.t; viewing = c.v end
  end
  if count == 0 then return false end
  return cjson.encode({s = online and 'online' or 'away', v = viewing, n = count})
end
local function next_viewing_set(conns_key, now)
  local fields = redis.call('HGETALL', conns_key)
  local newest = 0
  for i = 2, #fields, 2 do
    local t = cjson.decode(fields[i]).t
    if t > newest then newest = t end
  end
  return math.max(now, newest + 1)
end
local function store(members_key, user, state)
  if state then redis.call('HSET', members_key, user, state)
  else redis.call('HDEL', members_key, user) end
  return state
end
"""

# KEYS: members, conns, expiry. ARGV: user, connection, status, viewing ('' for none), now ms,
# expires ms, expiry entry, key ttl ms, max users (0: no limit).
_LUA_JOIN = (
    _LUA_AGGREGATE
    + """
local before = redis.call('HGET', KEYS[1], ARGV[1])
local limit = tonumber(ARGV[9])
if not before and limit > 0 and redis.call('HLEN', KEYS[1]) >= limit then return {0} end
local viewing, set_at = cjson.null, 0
if ARGV[4] ~= '' then
  viewing = ARGV[4]
  set_at = next_viewing_set(KEYS[2], tonumber(ARGV[5]))
end
redis.call('HSET', KEYS[2], ARGV[2], cjson.encode({s = ARGV[3], v = viewing, t = set_at}))
redis.call('ZADD', KEYS[3], ARGV[6], ARGV[7])
local after = store(KEYS[1], ARGV[1], aggregate(KEYS[2]))
redis.call('PEXPIRE', KEYS[1], ARGV[8])
redis.call('PEXPIRE', KEYS[2], ARGV[8])
return {1, before, after}
"""
)

# KEYS: members, conns. ARGV: user, connection, field ('s' or 'v'), value ('' for none), now ms.
_LUA_SET = (
    _LUA_AGGREGATE
    + """
local raw = redis.call('HGET', KEYS[2], ARGV[2])
if not raw then return {0} end
local before = redis.call('HGET', KEYS[1], ARGV[1])
local c = cjson.decode(raw)
if ARGV[3] == 's' then
  c.s = ARGV[4]
else
  c.t = next_viewing_set(KEYS[2], tonumber(ARGV[5]))
  if ARGV[4] == '' then c.v = cjson.null else c.v = ARGV[4] end
end
redis.call('HSET', KEYS[2], ARGV[2], cjson.encode(c))
return {1, before, store(KEYS[1], ARGV[1], aggregate(KEYS[2]))}
"""
)

# KEYS: members, conns, expiry. ARGV: connection, expiry entry, expires ms, key ttl ms.
_LUA_HEARTBEAT = """
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 1
"""

# KEYS: members, conns, expiry. ARGV: user, connection, expiry entry.
_LUA_LEAVE = (
    _LUA_AGGREGATE
    + """
redis.call('ZREM', KEYS[3], ARGV[3])
if redis.call('HDEL', KEYS[2], ARGV[2]) == 0 then return {0} end
local before = redis.call('HGET', KEYS[1], ARGV[1])
return {1, before, store(KEYS[1], ARGV[1], aggregate(KEYS[2]))}
"""
)

# KEYS: expiry. ARGV: key prefix, now ms, batch size.
# Returns room, user, before, after, expired-at ms for each expired connection, flattened.
_LUA_SWEEP = (
    _LUA_AGGREGATE
    + """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'WITHSCORES',
                       'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for i = 1, #due, 2 do
  local entry = due[i]
  redis.call('ZREM', KEYS[1], entry)
  local room, user, conn = string.match(entry, '^(%S+) (%S+) (.*)$')
  if room then
    local members_key = ARGV[1] .. 'room:' .. room .. ':members'
    local conns_key = ARGV[1] .. 'room:' .. room .. ':conns:' .. user
    local before = redis.call('HGET', members_key, user)
    redis.call('HDEL', conns_key, conn)
    local after = store(members_key, user, aggregate(conns_key))
    table.insert(out, room)
    table.insert(out, user)
    table.insert(out, before)
    table.insert(out, after)
    table.insert(out, due[i + 1])
  end
end
return out
"""
)


def _state(raw: Any) -> MemberState | None:
    return None if raw is None else _parsed_state(raw)


# A room's member hash is read whole for every joiner's snapshot, and its values repeat (a
# state is small and immutable): each distinct value is parsed once.
@functools.lru_cache(maxsize=16_384)
def _parsed_state(raw: str | bytes) -> MemberState:
    data = json.loads(raw)
    return MemberState(status=data["s"], viewing=data["v"], connections=int(data["n"]))


class RedisPresenceRegistry:
    """See ``presence.registry_interface.PresenceRegistry``."""

    shared = True

    def __init__(
        self,
        *,
        client: aioredis.Redis,
        prefix: str,
        ttl: float,
        sweep_interval: float,
        clock: Clock = time.time,
    ) -> None:
        self.ttl = ttl
        self.sweep_interval = sweep_interval
        self.prefix = prefix
        self._client = client
        self._clock = clock
        self._turn = SweepTurn(sweep_interval)
        # Keys outlive every connection in them by a margin; heartbeats renew them.
        self._key_ttl_ms = max(1, int((2 * ttl + sweep_interval) * 1000))
        self._join = client.register_script(_LUA_JOIN)
        self._set = client.register_script(_LUA_SET)
        self._heartbeat = client.register_script(_LUA_HEARTBEAT)
        self._leave = client.register_script(_LUA_LEAVE)
        self._sweep = client.register_script(_LUA_SWEEP)

    @classmethod
    def from_url(
        cls, url: str, *, prefix: str, ttl: float, sweep_interval: float, clock: Clock = time.time
    ) -> RedisPresenceRegistry:
        # A blocking pool: in a join storm hundreds of sockets call at once, and redis-py's
        # default pool fails every call past its 100th connection instead of waiting.
        pool = aioredis.BlockingConnectionPool.from_url(
            url, decode_responses=True, max_connections=POOL_SIZE, timeout=POOL_WAIT_SECONDS
        )
        client = aioredis.Redis.from_pool(pool)
        return cls(
            client=client, prefix=prefix, ttl=ttl, sweep_interval=sweep_interval, clock=clock
        )

    def _keys(self, room_id: str, user_id: int) -> list[str]:
        room = f"{self.prefix}room:{room_id}"
        return [f"{room}:members", f"{room}:conns:{user_id}", f"{self.prefix}expiry"]

    @staticmethod
    def _entry(room_id: str, user_id: int, connection_id: str) -> str:
        return f"{room_id} {user_id} {connection_id}"

    def _change(self, room_id: str, user_id: int, reply: Any, at: float) -> Change:
        return Change(
            room_id=room_id, user_id=user_id, before=_state(reply[1]), after=_state(reply[2]), at=at
        )

    async def join(
        self,
        *,
        room_id: str,
        user_id: int,
        connection_id: str,
        status: Status,
        viewing: str | None,
        max_users: int | None,
    ) -> Change:
        now = self._clock()
        reply = await self._join(
            keys=self._keys(room_id, user_id),
            args=[
                user_id,
                connection_id,
                status,
                viewing or "",
                int(now * 1000),
                int((now + self.ttl) * 1000),
                self._entry(room_id, user_id, connection_id),
                self._key_ttl_ms,
                max_users or 0,
            ],
        )
        if not reply[0]:
            raise RoomAtCapacity(room_id)
        return self._change(room_id, user_id, reply, now)

    async def _set_field(
        self, room_id: str, user_id: int, connection_id: str, field: str, value: str
    ) -> Change:
        now = self._clock()
        reply = await self._set(
            keys=self._keys(room_id, user_id)[:2],
            args=[user_id, connection_id, field, value, int(now * 1000)],
        )
        if not reply[0]:
            raise UnknownConnection(connection_id)
        return self._change(room_id, user_id, reply, now)

    async def set_status(
        self, *, room_id: str, user_id: int, connection_id: str, status: Status
    ) -> Change:
        return await self._set_field(room_id, user_id, connection_id, "s", status)

    async def set_viewing(
        self, *, room_id: str, user_id: int, connection_id: str, viewing: str | None
    ) -> Change:
        return await self._set_field(room_id, user_id, connection_id, "v", viewing or "")

    async def heartbeat(self, *, room_id: str, user_id: int, connection_id: str) -> bool:
        expires = int((self._clock() + self.ttl) * 1000)
        renewed = await self._heartbeat(
            keys=self._keys(room_id, user_id),
            args=[
                connection_id,
                self._entry(room_id, user_id, connection_id),
                expires,
                self._key_ttl_ms,
            ],
        )
        return bool(renewed)

    async def leave(self, *, room_id: str, user_id: int, connection_id: str) -> Change | None:
        now = self._clock()
        reply = await self._leave(
            keys=self._keys(room_id, user_id),
            args=[user_id, connection_id, self._entry(room_id, user_id, connection_id)],
        )
        if not reply[0]:
            return None
        return self._change(room_id, user_id, reply, now)

    async def members(self, *, room_id: str) -> dict[int, MemberState]:
        raw = await self._client.hgetall(f"{self.prefix}room:{room_id}:members")
        return {int(user_id): state for user_id, value in raw.items() if (state := _state(value))}

    async def sweep(self) -> list[Change]:
        now_ms = int(self._clock() * 1000)
        changes: list[Change] = []
        while True:
            reply = await self._sweep(
                keys=[f"{self.prefix}expiry"], args=[self.prefix, now_ms, SWEEP_BATCH]
            )
            for i in range(0, len(reply), 5):
                room_id, user_id, before, after, expired_ms = reply[i : i + 5]
                changes.append(
                    Change(
                        room_id=room_id,
                        user_id=int(user_id),
                        before=_state(before),
                        after=_state(after),
                        at=float(expired_ms) / 1000 - self.ttl,
                    )
                )
            if len(reply) < 5 * SWEEP_BATCH:
                return merge_changes(changes)

    def sweep_due(self) -> bool:
        return self._turn.claim()

    async def aclose(self) -> None:
        await self._client.aclose()
