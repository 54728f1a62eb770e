using System.Collections.Concurrent;
using Fieldlab.Api.Rigs;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Faults;

/// <summary>Sends fault commands to a rig's gateway with the API's own broker credentials and waits for the gateway's
/// reply (matched by command id on <c>cmd/reply</c>, which the <see cref="RigDirectoryListener"/> hands over).</summary>
public sealed class FaultCommander(RigDirectoryListener listener)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<CommandReply>> _pending = new(StringComparer.Ordinal);

    /// <summary>Takes a message from a <c>cmd/reply</c> topic.</summary>
    public void OnReply(MqttMessage message)
    {
        if (!WireJson.TryDecodeCommandReply(message.Payload, out var reply, out _) || reply!.Id is null) return;
        if (_pending.TryRemove(reply.Id, out var waiter)) waiter.TrySetResult(reply);
    }

    /// <summary>Publishes <paramref name="command"/> to the rig's <c>cmd/fault</c> and returns the reply, or null if none
    /// came within <paramref name="timeout"/>. Throws <see cref="MqttException"/> when the broker is unreachable.</summary>
    public async Task<CommandReply?> SendAsync(RigAddress rig, FaultCommand command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var connection = listener.Connection;
        if (connection is null || connection.State != MqttConnectionState.Connected)
            throw new MqttException("The API is not connected to the broker.", 0, isTransient: true);
        var id = command.Id ?? throw new ArgumentException("The command needs an id.", nameof(command));
        var waiter = new TaskCompletionSource<CommandReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(id, waiter)) throw new ArgumentException($"A command with id '{id}' is already waiting for its reply.", nameof(command));
        try
        {
            await connection.PublishAsync(FieldlabTopic.Command(rig, "fault"), WireJson.Encode(command), MqttQos.AtLeastOnce, retain: false, cancellationToken);
            return await waiter.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }
}
