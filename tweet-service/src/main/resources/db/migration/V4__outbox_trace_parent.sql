-- The W3C traceparent of the span that appended the row (NULL outside any span), sent by the
-- outbox relay as the record's traceparent header so consumers continue the trace.
ALTER TABLE outbox ADD COLUMN trace_parent text;
