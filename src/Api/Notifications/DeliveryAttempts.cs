namespace Fieldlab.Api.Notifications;

/// <summary>Tries a delivery up to <see cref="NotificationOptions.Attempts"/> times, waiting
/// <see cref="NotificationOptions.RetryDelay"/> (doubled each time) between tries, and stops early when a failure is
/// <see cref="DeliveryException.Permanent"/>.</summary>
public static class DeliveryAttempts
{
    /// <summary>Runs <paramref name="attempt"/>; returns how many tries it took and the last error (null: delivered).</summary>
    public static async Task<(int Tries, string? Error)> RunAsync(Func<CancellationToken, Task> attempt, NotificationOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var delay = options.RetryDelay;
        for (int tries = 1; ; tries++)
        {
            try
            {
                await attempt(cancellationToken);
                return (tries, null);
            }
            catch (DeliveryException e) when (e.Permanent || tries >= options.Attempts)
            {
                return (tries, e.Message);
            }
            catch (DeliveryException)
            {
                await Task.Delay(delay, time, cancellationToken);
                delay *= 2;
            }
        }
    }
}
