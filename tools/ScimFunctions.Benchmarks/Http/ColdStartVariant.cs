namespace ScimFunctions.Benchmarks.Http;

/// <summary>The starts of one publish of the local host (plain or ReadyToRun) and their summary.</summary>
public sealed record ColdStartVariant(string Name, string PublishArguments, double PublishSeconds)
{
    public List<ColdStartSample> Samples { get; } = [];

    /// <summary>Why this variant has fewer samples than asked for (a failed publish or start), if it has.</summary>
    public string? Problem { get; set; }

    public double FirstAnswerMedianMs => Median(Samples.Select(s => s.FirstAnswerMs));
    public double FirstAnswerMinMs => Samples.Count == 0 ? double.NaN : Samples.Min(s => s.FirstAnswerMs);
    public double FirstAnswerMaxMs => Samples.Count == 0 ? double.NaN : Samples.Max(s => s.FirstAnswerMs);
    public double HostStartedMedianMs => Median(Samples.Select(s => s.HostStartedMs));
    public double FirstRequestMedianMs => Median(Samples.Select(s => s.FirstRequestMs));

    /// <summary>The middle value, or the mean of the two middle ones; NaN when there are none.</summary>
    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
