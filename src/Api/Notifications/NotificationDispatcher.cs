using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Fieldlab.Access.Audit;
using Fieldlab.Access.Store;
using Fieldlab.Api.Live;
using Fieldlab.Telemetry.Wire;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Notifications;

/// <summary>Delivers every alert of the <see cref="AlertFeed"/> to the people who asked for it and may see it
/// (<see cref="NotificationAudience"/>), by webhook and e-mail, within the <see cref="NotificationRateLimit"/>. Each
/// person and channel has its own queue, so a slow receiver delays nobody else. Every send and every failure is in the
/// audit log (<c>notification.send</c>). A failure of the loop itself is kept in <see cref="LastError"/> (red on
/// <c>/healthz</c>) and the loop starts again.</summary>
public sealed partial class NotificationDispatcher : BackgroundService
{
    private static readonly JsonSerializerOptions AuditJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly AlertFeed _feed;
    private readonly IServiceScopeFactory _scopes;
    private readonly NotificationAudience _audience;
    private readonly WebhookSender _webhooks;
    private readonly EmailSender _email;
    private readonly NotificationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<NotificationDispatcher> _logger;
    private readonly ConcurrentDictionary<string, Channel<Delivery>> _queues = new();
    private readonly ConcurrentBag<Task> _workers = [];
    private CancellationToken _stopping;

    /// <summary>Creates the dispatcher.</summary>
    public NotificationDispatcher(AlertFeed feed, IServiceScopeFactory scopes, NotificationAudience audience, WebhookSender webhooks, EmailSender email,
        IOptions<NotificationOptions> options, TimeProvider time, ILogger<NotificationDispatcher> logger)
    {
        _feed = feed;
        _scopes = scopes;
        _audience = audience;
        _webhooks = webhooks;
        _email = email;
        _options = options.Value;
        _time = time;
        _logger = logger;
        RateLimit = new NotificationRateLimit(_options.RateLimit, _options.RateWindow, time);
    }

    /// <summary>The rate limit (per person and channel).</summary>
    public NotificationRateLimit RateLimit { get; }

    /// <summary>The last failure to dispatch an alert, or null once one was dispatched again (reported by <c>/healthz</c>).</summary>
    public string? LastError { get; private set; }

    /// <summary>Alerts that could not be dispatched at all since the API started (each is logged as an error).</summary>
    public int FailedAlerts => _failedAlerts;

    private int _failedAlerts;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled) return;
        _stopping = stoppingToken;
        var summaries = SendSummariesAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var received in _feed.SubscribeAsync(stoppingToken)) await DispatchAsync(received, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LastError = $"notification loop failed: {e.Message}";
                LogLoopFailed(e);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        await summaries;
        foreach (var queue in _queues.Values) queue.Writer.TryComplete();
        await Task.WhenAll(_workers);
        foreach (var (key, held) in RateLimit.TakeAll()) LogHeldAtStop(key, held.Sentence());
    }

    private async Task DispatchAsync(ReceivedAlert received, CancellationToken cancellationToken)
    {
        var alert = received.Alert;
        try
        {
            var at = UtcTimestamp.TryParse(Encoding.UTF8.GetBytes(alert.T), out long ns) ? UtcTimestamp.FromNanoseconds(ns).UtcDateTime : received.ReceivedAt.UtcDateTime;
            IReadOnlyList<Recipient> recipients;
            await using (var scope = _scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<MetadataDb>();
                recipients = await _audience.OfAsync(db, received.Rig, alert, at, _time.GetUtcNow().UtcDateTime, cancellationToken);
            }
            var held = new HeldAlert(received.Rig.Site, received.Rig.Rig, alert.Id, 1);
            foreach (var r in recipients)
            {
                if (r.Webhook is { } hook) Offer(new Delivery(r, Channel.Webhook, hook.Url, hook.Secret), received.Rig, alert, held);
                if (r.Email is { } email && _email.IsAvailable) Offer(new Delivery(r, Channel.Email, email, null), received.Rig, alert, held);
            }
            LastError = null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Nobody hears of this alert: that must not pass unseen.
            Interlocked.Increment(ref _failedAlerts);
            LastError = $"alert {alert.Id} of {received.Rig} not dispatched: {e.Message}";
            LogAlertFailed(alert.Id, received.Rig.ToString(), e);
        }
    }

    private void Offer(Delivery delivery, RigAddress rig, RigAlert alert, HeldAlert held)
    {
        if (!RateLimit.TryAdmit(delivery.Key, held, out var heldBack))
        {
            LogSuppressed(delivery.Recipient.UserName, delivery.Channel.ToString(), alert.Id, rig.ToString());
            return;
        }
        Enqueue(delivery with { Message = new NotificationMessage(Guid.NewGuid().ToString("N"), rig, alert, heldBack, _time.GetUtcNow()), Held = held });
    }

    // What was held back goes out on its own once a window has room and no alert came to carry it.
    private async Task SendSummariesAsync(CancellationToken cancellationToken)
    {
        var every = TimeSpan.FromTicks(Math.Clamp(_options.RateWindow.Ticks / 10, TimeSpan.TicksPerMillisecond * 200, TimeSpan.TicksPerSecond * 10));
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            foreach (var (key, held) in RateLimit.DueSummaries())
            {
                if (_queues.TryGetValue(key, out var queue) && _lastDelivery.TryGetValue(key, out var last))
                    queue.Writer.TryWrite(last with { Message = new NotificationMessage(Guid.NewGuid().ToString("N"), null, null, held, _time.GetUtcNow()), Held = null });
                else RateLimit.Undelivered(key, null, held); // cannot happen: a key is held only after a delivery was queued
            }
        }
    }

    private readonly ConcurrentDictionary<string, Delivery> _lastDelivery = new();

    private void Enqueue(Delivery delivery)
    {
        _lastDelivery[delivery.Key] = delivery;
        var queue = _queues.GetOrAdd(delivery.Key, key =>
        {
            var created = System.Threading.Channels.Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });
            _workers.Add(Task.Run(() => DeliverAllAsync(key, created.Reader, _stopping)));
            return created;
        });
        queue.Writer.TryWrite(delivery);
    }

    private async Task DeliverAllAsync(string key, ChannelReader<Delivery> queue, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var delivery in queue.ReadAllAsync(cancellationToken)) await DeliverAsync(delivery, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: what is still queued is logged as not delivered.
            while (queue.TryRead(out var left)) LogNotDelivered(left.Recipient.UserName, left.Channel.ToString(), "the API stopped");
        }
        catch (Exception e)
        {
            LastError = $"notification queue {key} failed: {e.Message}";
            LogLoopFailed(e);
        }
    }

    private async Task DeliverAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var message = delivery.Message!;
        var (tries, error) = await DeliveryAttempts.RunAsync(ct => delivery.Channel == Channel.Webhook
            ? _webhooks.SendAsync(delivery.Address, delivery.Secret!, NotificationContent.Webhook(message, _options.ConsoleUrl), message.Delivery, ct)
            : _email.SendAsync(delivery.Address, NotificationContent.Subject(message), NotificationContent.EmailBody(message, _options.ConsoleUrl), message.Delivery, ct),
            _options, _time, cancellationToken);
        if (error is not null)
        {
            // Counted, and reported in the next message that reaches the person.
            RateLimit.Undelivered(delivery.Key, delivery.Held, message.HeldBack);
            LogNotDelivered(delivery.Recipient.UserName, delivery.Channel.ToString(), error);
        }
        else
        {
            LogDelivered(delivery.Recipient.UserName, delivery.Channel.ToString(), message.Type, tries);
        }
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MetadataDb>();
        await AuditLog.WriteAsync(db, new AuditEntry
        {
            Time = _time.GetUtcNow().UtcDateTime,
            Actor = "notifications",
            ActorRole = "service",
            Action = "notification.send",
            SiteId = message.Rig?.Site,
            RigId = message.Rig?.Rig,
            Target = delivery.Recipient.UserName,
            Detail = JsonSerializer.Serialize(new
            {
                channel = delivery.Channel == Channel.Webhook ? "webhook" : "email",
                delivery = message.Delivery,
                type = message.Type,
                alert = message.Alert?.Id,
                state = message.Alert?.State,
                occurrence = message.Occurrence,
                held_back = message.HeldBack is { } h ? new { h.Suppressed, h.Undelivered } : null,
                tries,
                error,
            }, AuditJson),
            Outcome = error is null ? "ok" : "failed",
        }, CancellationToken.None);
    }

    private enum Channel
    {
        Webhook,
        Email,
    }

    private sealed record Delivery(Recipient Recipient, Channel Channel, string Address, string? Secret)
    {
        public string Key => $"{Recipient.UserId}/{Channel}";

        public NotificationMessage? Message { get; init; }

        public HeldAlert? Held { get; init; }
    }

    [LoggerMessage(4401, LogLevel.Error, "The notification loop failed; it starts again.")]
    private partial void LogLoopFailed(Exception e);

    [LoggerMessage(4402, LogLevel.Error, "Alert {Alert} of {Rig} could not be dispatched to anybody.")]
    private partial void LogAlertFailed(string alert, string rig, Exception e);

    [LoggerMessage(4403, LogLevel.Information, "Notification to {User} by {Channel} about {Alert} on {Rig} held back by the rate limit (reported in the next message).")]
    private partial void LogSuppressed(string user, string channel, string alert, string rig);

    [LoggerMessage(4404, LogLevel.Warning, "Notification to {User} by {Channel} not delivered: {Error}")]
    private partial void LogNotDelivered(string user, string channel, string error);

    [LoggerMessage(4406, LogLevel.Warning, "The API stops with notifications held back for {Key}: {HeldBack}")]
    private partial void LogHeldAtStop(string key, string heldBack);

    [LoggerMessage(4405, LogLevel.Information, "Notification ({Type}) delivered to {User} by {Channel} after {Tries} tries.")]
    private partial void LogDelivered(string user, string channel, string type, int tries);
}
