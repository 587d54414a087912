"""Documents and whiteboards: their records, versions, content formats, REST content and the
document socket."""
