"""The room socket, ``/ws/rooms/{room_id}``: chat and presence over one JSON channel."""
