using Fieldlab.PredictiveMaintenance.Signals;

namespace Fieldlab.PredictiveMaintenance.Tests.Signals;

/// <summary>Holds the extractor to ../shared/bench/features-ref: the same input, bit for bit, and the same features to
/// 1e-12 relative (the feature sums its README publishes).</summary>
public sealed class VibrationFeatureExtractorTests
{
    // Per-feature sums over the 92 frames × 3 axes of the reference workload, double precision (features-ref README).
    private static readonly double[] ReferenceSums =
    [
        1.078053856863e+02, 6.257751644643e+02, 1.088343891822e+03, 1.603547865029e+03, 9.582565282877e+02,
        5.474963254131e+01, 3.426238826457e+02, 1.990708497975e+03, 3.595138745734e-02, 6.938915435698e+01,
        6.449798182952e+00, 5.239434081885e-01, 1.302192515582e+00, 4.995061085754e+00, 1.668938748497e+01,
        2.231032935254e+01, 1.028948917575e+02, 3.088339284676e+01, 1.999685320612e+01, 8.463171861746e-01,
        8.527222373223e-01, 7.822202838637e-01, 2.081364686978e+01, 1.444947310188e+00, 8.338774876154e-01,
        8.083260663074e-01,
    ];

    private static readonly Lazy<double[][]> Signal = new(ReferenceVibrationSignal.Generate);

    [Fact]
    public void ReferenceSignal_IsRebuiltBitForBit()
    {
        var x = Signal.Value[0];
        Assert.Equal(0.043103485043002404, x[0]);
        Assert.Equal(1.8091450233410631, x[1]);
        Assert.Equal(1.877558421260265, x[2]);
    }

    [Fact]
    public void FeatureSums_MatchTheFftwReference_To1e12()
    {
        var settings = VibrationFeatureSettings.Reference;
        var extractor = new VibrationFeatureExtractor(settings);
        int n = settings.WindowLength, hop = n / 2, frames = (ReferenceVibrationSignal.Length - n) / hop + 1;
        Assert.Equal(92, frames);
        var sums = new double[VibrationFeatures.Count];
        var features = new double[VibrationFeatures.Count];
        for (int f = 0; f < frames; f++)
            for (int a = 0; a < ReferenceVibrationSignal.Axes; a++)
            {
                extractor.Extract(Signal.Value[a].AsSpan(f * hop, n), features);
                for (int i = 0; i < sums.Length; i++) sums[i] += features[i];
            }
        for (int i = 0; i < sums.Length; i++)
        {
            // The published sums carry 13 significant digits, so they pin the value to ±5e-13 relative at best.
            double relative = Math.Abs(sums[i] - ReferenceSums[i]) / ReferenceSums[i];
            Assert.True(relative < 1e-12, $"{VibrationFeatures.Names[i]}: {sums[i]:E12} vs {ReferenceSums[i]:E12} ({relative:E1})");
        }
        Assert.Equal(7.073663861477e+03, sums.Sum(), 7.073663861477e+03 * 1e-12);
    }

    [Fact]
    public void OuterRaceImpacts_DominateTheEnvelopeAtBpfo_NotAtTheOtherDefects()
    {
        var extractor = new VibrationFeatureExtractor(VibrationFeatureSettings.Reference);
        var features = new double[VibrationFeatures.Count];
        extractor.Extract(Signal.Value[0].AsSpan(0, 32768), features);
        double bpfo = features[VibrationFeatures.EnvBpfo];
        Assert.True(bpfo > 5 * features[VibrationFeatures.EnvBpfi]);
        Assert.True(bpfo > 5 * features[VibrationFeatures.EnvBsf]);
        Assert.True(bpfo > 5 * features[VibrationFeatures.EnvFtf]);
    }

    [Fact]
    public void SteadyState_AllocatesNothing()
    {
        var extractor = new VibrationFeatureExtractor(VibrationFeatureSettings.Reference);
        var features = new double[VibrationFeatures.Count];
        var window = Signal.Value[1].AsSpan(0, 32768);
        extractor.Extract(window, features);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) extractor.Extract(window, features);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ImpossibleSettings_AreRefusedWithAClearError()
    {
        var error = Assert.Throws<ArgumentException>(() => new VibrationFeatureExtractor(VibrationFeatureSettings.Reference with { WindowLength = 30000 }));
        Assert.Contains("power of two", error.Message);
        error = Assert.Throws<ArgumentException>(() => new VibrationFeatureExtractor(VibrationFeatureSettings.Reference with { EnvelopeHighHz = 13000 }));
        Assert.Contains("Envelope band", error.Message);
    }
}
