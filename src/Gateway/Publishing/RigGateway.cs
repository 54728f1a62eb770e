using Fieldlab.Gateway.Configuration;
using Fieldlab.Gateway.Simulation;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fieldlab.Gateway.Publishing;

/// <summary>Runs one rig's gateway: announces the rig (birth, online state, offline last will), samples its streams
/// on the sample grid and publishes them as QoS 1 batches.</summary>
public sealed partial class RigGateway(GatewayConfig config, ISimulatedRig rig, TimeProvider time, ILogger<RigGateway> logger) : BackgroundService
{
    private readonly RigAddress _address = new(config.Site, config.Rig);
    private long _rowsPublished;
    private long _batchesPublished;

    /// <summary>Rows handed to the broker so far.</summary>
    public long RowsPublished => Interlocked.Read(ref _rowsPublished);

    /// <summary>The connection, once started (for tests and health).</summary>
    public MqttConnection? Connection { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var offline = WireJson.Encode(new RigState { State = "offline", Reason = "connection lost" });
        var options = new MqttConnectionOptions
        {
            Host = config.Broker.Host,
            Port = config.Broker.Port,
            ClientId = config.GatewayId,
            Username = config.Broker.Username,
            Password = config.Broker.Password,
            Tls = config.Broker.CaFile is { } ca ? new MqttTlsOptions { CaFile = ca } : null,
            LastWill = new MqttLastWill(FieldlabTopic.For(_address, TopicChannel.State), offline, MqttQos.AtLeastOnce, Retain: true),
        };
        await using var connection = MqttConnection.Start(options, logger);
        Connection = connection;
        var announcing = AnnounceOnEveryConnectAsync(connection, stoppingToken);
        try
        {
            await PublishSamplesAsync(connection, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await SayGoodbyeAsync(connection);
            await announcing.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task AnnounceOnEveryConnectAsync(MqttConnection connection, CancellationToken stoppingToken)
    {
        long seen = 0;
        var birth = WireJson.Encode(new RigBirth
        {
            Kind = rig.Kind,
            Description = rig.Description,
            Gateway = config.GatewayId,
            Since = UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(time.GetUtcNow())),
            Streams = [.. rig.Streams.Select(s => s.Describe())],
        });
        while (!stoppingToken.IsCancellationRequested)
        {
            seen = await connection.WaitForConnectAsync(seen, stoppingToken);
            // The broker published our "offline" will when the last connection died: say we are back, and
            // re-send the birth in case a broker restart lost the retained copy.
            var online = WireJson.Encode(new RigState { State = "online", Since = UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(time.GetUtcNow())) });
            await connection.EnqueuePublishAsync(FieldlabTopic.For(_address, TopicChannel.Birth), birth, MqttQos.AtLeastOnce, retain: true, stoppingToken);
            await connection.EnqueuePublishAsync(FieldlabTopic.For(_address, TopicChannel.State), online, MqttQos.AtLeastOnce, retain: true, stoppingToken);
            LogAnnounced(_address.ToString(), seen);
        }
    }

    private async Task PublishSamplesAsync(MqttConnection connection, CancellationToken stoppingToken)
    {
        var topic = FieldlabTopic.For(_address, TopicChannel.Samples);
        var streams = rig.Streams.Select(s => new StreamCursor(s, time.GetUtcNow())).ToList();
        var writer = new SampleBatchWriter();
        using var timer = new PeriodicTimer(config.Publish.BatchInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            long now = UtcTimestamp.ToNanoseconds(time.GetUtcNow());
            foreach (var cursor in streams)
            {
                while (cursor.NextTimeNs <= now)
                {
                    int rows = cursor.WriteBatch(writer, now, config.Publish.MaxRowsPerBatch);
                    var delivery = await connection.EnqueuePublishAsync(topic, writer.Finish(), MqttQos.AtLeastOnce, retain: false, stoppingToken);
                    _ = delivery.ContinueWith(t => LogDeliveryFailed(t.Exception!.GetBaseException().Message), CancellationToken.None,
                        TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                    Interlocked.Add(ref _rowsPublished, rows);
                    Interlocked.Increment(ref _batchesPublished);
                }
            }
        }
    }

    private async Task SayGoodbyeAsync(MqttConnection connection)
    {
        if (connection.State != MqttConnectionState.Connected) return;
        try
        {
            var offline = WireJson.Encode(new RigState { State = "offline", Reason = "shutdown", Since = UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(time.GetUtcNow())) });
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await connection.PublishAsync(FieldlabTopic.For(_address, TopicChannel.State), offline, MqttQos.AtLeastOnce, retain: true, timeout.Token);
        }
        catch (Exception e) when (e is MqttException or OperationCanceledException)
        {
            LogDeliveryFailed(e.Message);
        }
    }

    /// <summary>Where one stream stands on its sample grid.</summary>
    private sealed class StreamCursor
    {
        private readonly SimulatedStream _stream;
        private readonly long _periodNs;
        private readonly double[] _values;
        private long _seq;

        public StreamCursor(SimulatedStream stream, DateTimeOffset start)
        {
            _stream = stream;
            _periodNs = (long)Math.Round(1e9 / stream.RateHz);
            _values = new double[stream.Sensors.Count];
            long startNs = UtcTimestamp.ToNanoseconds(start);
            NextTimeNs = startNs - startNs % _periodNs + _periodNs; // first grid instant after start
        }

        public long NextTimeNs { get; private set; }

        public int WriteBatch(SampleBatchWriter writer, long untilNs, int maxRows)
        {
            writer.Begin(_stream.Id, _seq);
            int rows = 0;
            while (NextTimeNs <= untilNs && rows < maxRows)
            {
                _stream.Sample(NextTimeNs, _values);
                writer.BeginRow(NextTimeNs);
                for (int i = 0; i < _values.Length; i++)
                {
                    if (double.IsFinite(_values[i])) writer.Value(_stream.Sensors[i].Id, _values[i]);
                }
                NextTimeNs += _periodNs;
                rows++;
            }
            _seq += rows;
            return rows;
        }
    }

    [LoggerMessage(1001, LogLevel.Information, "Rig {Rig} announced (connection #{Connects}).")]
    private partial void LogAnnounced(string rig, long connects);

    [LoggerMessage(1002, LogLevel.Warning, "A batch was not delivered: {Reason}")]
    private partial void LogDeliveryFailed(string reason);
}
