/**
 * The transactional outbox and the idempotent inbox: how Chirp's services publish events
 * without dual writes and consume them without double effects.
 * <p>
 * <b>Publishing.</b> A service writes its change and the event that describes it in one local
 * transaction ({@link io.chirp.platform.messaging.Outbox#append}); an
 * {@link io.chirp.platform.messaging.OutboxRelay} per physical database later reads committed,
 * unsent rows, publishes them to Kafka and marks them sent. Delivery is <em>at-least-once</em>:
 * a crash between the broker's acknowledgement and the {@code sent_at} update republishes the
 * batch. Events of one key are published in outbox order, so one aggregate's events stay ordered.
 * Pattern: Chris Richardson, "Pattern: Transactional outbox",
 * <a href="https://microservices.io/patterns/data/transactional-outbox.html">microservices.io</a>,
 * with the polling publisher variant
 * (<a href="https://microservices.io/patterns/data/polling-publisher.html">"Polling publisher"</a>).
 * <p>
 * <b>Consuming.</b> Because a message can arrive more than once, a handler records the event id
 * in an {@code inbox} table in the same transaction as its own writes
 * ({@link io.chirp.platform.messaging.Inbox#firstDelivery}) and skips the event when it was
 * already recorded. Pattern: Chris Richardson, "Pattern: Idempotent Consumer",
 * <a href="https://microservices.io/patterns/communication-style/idempotent-consumer.html">microservices.io</a>.
 * <p>
 * <b>Watching.</b> {@link io.chirp.platform.messaging.OutboxBacklogGauges} reports each
 * database's unpublished rows ({@code chirp.outbox.backlog}) and
 * {@link io.chirp.platform.messaging.SagaGauges} the sagas in flight by state
 * ({@code chirp.saga.instances}), both read on a schedule off the scrape path
 * ({@link io.chirp.platform.messaging.PolledReadings}), {@code NaN} while a store cannot be read.
 * <p>
 * Plain Java on JDBC, {@code kafka-clients} and Micrometer: no framework, so each service wires
 * these classes as beans (one relay per datasource) from its own configuration.
 */
package io.chirp.platform.messaging;
