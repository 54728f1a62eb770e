using System.Threading.Channels;

namespace Fieldlab.Telemetry.Mqtt;

/// <summary>A connection's outgoing publishes: queued in call order, handed to the library one by one by a single
/// sender while the bounded in-flight window has room, so the wire order is the call order and at most
/// <c>window</c> packet ids are in use (neither libmosquitto nor MQTTnet bounds this itself).</summary>
internal sealed class PublishQueue
{
    private readonly Channel<OutgoingPublish> _queue = Channel.CreateUnbounded<OutgoingPublish>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly SemaphoreSlim _room;
    private readonly Func<OutgoingPublish, ValueTask> _handOver;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sender;
    private int _waiting;
    private int _inFlight;

    /// <summary>Starts the sender. <paramref name="handOver"/> gives one publish to the library; the implementation
    /// calls <see cref="Release"/> once that publish is acknowledged or failed (never for one it threw on).</summary>
    public PublishQueue(int window, Func<OutgoingPublish, ValueTask> handOver)
    {
        _room = new SemaphoreSlim(window);
        _handOver = handOver;
        _sender = Task.Run(SendAsync);
    }

    /// <summary>Publishes waiting for the window.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Publishes handed over and not yet released.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Queues a publish (the payload is copied) and returns the task that completes on delivery.</summary>
    public Task Enqueue(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain, CancellationToken cancellationToken)
    {
        var outgoing = new OutgoingPublish(topic, payload.ToArray(), qos, retain, cancellationToken);
        Interlocked.Increment(ref _waiting);
        if (!_queue.Writer.TryWrite(outgoing))
        {
            Interlocked.Decrement(ref _waiting);
            outgoing.Fail(Closed());
        }
        return outgoing.Delivered;
    }

    /// <summary>Frees the window slot of one handed-over publish.</summary>
    public void Release()
    {
        Interlocked.Decrement(ref _inFlight);
        _room.Release();
    }

    /// <summary>Stops the sender and fails every publish that is still waiting.</summary>
    public async Task CloseAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _sender.ConfigureAwait(false);
        var closed = Closed();
        while (_queue.Reader.TryRead(out var left))
        {
            Interlocked.Decrement(ref _waiting);
            left.Fail(closed);
        }
    }

    private static MqttException Closed() => new("The MQTT connection was closed before the publish was sent.", 0, isTransient: true);

    private async Task SendAsync()
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                if (!_queue.Reader.TryPeek(out var next)) continue;
                if (next.IsAbandoned)
                {
                    Take();
                    next.Fail(new OperationCanceledException(next.CancellationToken));
                    continue;
                }
                await _room.WaitAsync(_stop.Token).ConfigureAwait(false);
                Take();
                if (next.IsAbandoned)
                {
                    _room.Release();
                    next.Fail(new OperationCanceledException(next.CancellationToken));
                    continue;
                }
                Interlocked.Increment(ref _inFlight);
                try
                {
                    await _handOver(next).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    Release();
                    next.Fail(e);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Closing: what still waits is failed by CloseAsync.
        }
    }

    private void Take()
    {
        _queue.Reader.TryRead(out _);
        Interlocked.Decrement(ref _waiting);
    }
}

/// <summary>One publish on its way: what to send and the task its caller awaits.</summary>
internal sealed class OutgoingPublish(string topic, byte[] payload, MqttQos qos, bool retain, CancellationToken cancellationToken)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Topic { get; } = topic;
    public byte[] Payload { get; } = payload;
    public MqttQos Qos { get; } = qos;
    public bool Retain { get; } = retain;
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Completes on PUBACK (QoS 1) or when written (QoS 0); faults on rejection or close.</summary>
    public Task Delivered => _done.Task;

    /// <summary>The caller gave up before it was handed over: it is skipped.</summary>
    public bool IsAbandoned => CancellationToken.IsCancellationRequested;

    public void Complete() => _done.TrySetResult();

    public void Fail(Exception error)
    {
        if (error is OperationCanceledException oce) _done.TrySetCanceled(oce.CancellationToken);
        else _done.TrySetException(error);
    }
}
