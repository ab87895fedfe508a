// Scores one image with the FastLaDeDa package's embedded default weights and prints
// "path<TAB>logit" (the logit in round-trip format). Exit code 0, or 1 with one "error:" line.
using System.Globalization;
using FastLaDeDa.Detection;
using FastLaDeDa.Errors;

if (args.Length != 1)
{
    Console.Error.WriteLine("error: usage: FastLaDeDa.Sample IMAGE");
    return 1;
}

try
{
    using var detector = Detector.LoadDefault();
    DetectionResult result = detector.Score(args[0]);
    Console.WriteLine($"{args[0]}\t{result.Logit.ToString("R", CultureInfo.InvariantCulture)}");
    return 0;
}
catch (Exception e) when (e is FastLaDeDaException or IOException or UnauthorizedAccessException)
{
    // FastLaDeDa's messages already read "FILE: cause".
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
