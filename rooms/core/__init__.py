"""What every concept shares: domain errors and the API's error shape, base serializers, batched
reads, live-event publishing, request ids for logs, metrics."""
