namespace Fieldlab.Testing;

/// <summary>Polls a condition until it holds or a generous deadline passes: for results that arrive through real
/// servers, where there is no signal to wait on. Failing the deadline fails the test with the last observation.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="probe"/> until it returns true.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> probe, TimeSpan within, Func<string>? describe = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (await probe()) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Condition not met within {within}. {describe?.Invoke()}");
            await Task.Delay(50);
        }
    }
}
