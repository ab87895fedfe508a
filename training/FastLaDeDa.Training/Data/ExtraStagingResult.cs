namespace FastLaDeDa.Training.Data;

/// <summary>One staged image: its manifest row and its file under the output folder (<c>0_real/NAME.png</c>).</summary>
internal sealed record StagedExtraImage(ExtraManifestRow Row, string File);

/// <summary>What <see cref="ExtraStager.Stage"/> did: the staged images and the rows skipped by format, both in manifest order.</summary>
internal sealed record ExtraStagingResult(string OutputFolder, IReadOnlyList<StagedExtraImage> Staged, IReadOnlyList<ExtraManifestRow> Skipped, double Seconds);
