"""The room's chat: messages, threads, reactions, mentions, attachments, read state, system
messages."""
