package dev.genfleet.gateway.webhook;

import dev.genfleet.gateway.status.JobView;

/**
 * One webhook message to send: its id (the same on every retry, replica and restart), event type, the job
 * it speaks for (a campaign's: the job whose fact finished it), receiver, signed-over body, and the offset it
 * holds until it settles.
 */
record Delivery(String messageId, String event, JobView job, String url, byte[] body, HeldOffsets.Hold hold) {}
