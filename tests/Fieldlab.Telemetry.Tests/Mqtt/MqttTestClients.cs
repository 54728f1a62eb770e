using System.Text;
using System.Threading.Channels;
using Fieldlab.Telemetry.Mqtt;

namespace Fieldlab.Telemetry.Tests.Mqtt;

/// <summary>Small helpers for the MQTT binding tests.</summary>
internal static class MqttTestClients
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static string UniqueTopic(string prefix = "test") => $"{prefix}/{Guid.NewGuid():N}";

    public static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

    public static async Task<List<MqttMessage>> ReceiveAsync(this ChannelReader<MqttMessage> reader, int count, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? Patience);
        var received = new List<MqttMessage>(count);
        try
        {
            while (received.Count < count) received.Add(await reader.ReadAsync(timeout.Token));
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Received {received.Count} of {count} messages.");
        }
        return received;
    }

    /// <summary>Reads whatever arrives until nothing came for <paramref name="quiet"/>.</summary>
    public static async Task<List<MqttMessage>> DrainAsync(this ChannelReader<MqttMessage> reader, TimeSpan quiet)
    {
        var received = new List<MqttMessage>();
        while (true)
        {
            using var timeout = new CancellationTokenSource(quiet);
            try
            {
                received.Add(await reader.ReadAsync(timeout.Token));
            }
            catch (OperationCanceledException)
            {
                return received;
            }
        }
    }
}
