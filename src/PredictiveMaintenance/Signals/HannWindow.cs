using System.Collections.Concurrent;

namespace Fieldlab.PredictiveMaintenance.Signals;

/// <summary>The periodic Hann window w[n] = 0.5 − 0.5·cos(2πn/N) (Harris, Proc. IEEE 66 (1978)), cached per length.</summary>
public static class HannWindow
{
    private static readonly ConcurrentDictionary<int, double[]> Cache = new();

    /// <summary>The window of length <paramref name="length"/>; do not modify the returned array.</summary>
    public static double[] Periodic(int length) => Cache.GetOrAdd(length, n =>
    {
        var w = new double[n];
        for (int i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.Cos(6.283185307179586 * i / n);
        return w;
    });
}
