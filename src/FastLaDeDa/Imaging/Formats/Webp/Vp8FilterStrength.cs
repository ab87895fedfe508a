namespace FastLaDeDa.Imaging.Formats.Webp;

/// <summary>
/// The loop-filter parameters of one macroblock, precomputed per segment and per prediction
/// kind (libwebp's <c>VP8FInfo</c>).
/// </summary>
/// <param name="Limit">Edge limit <c>2 * level + interior</c> in [3, 189]; 0 disables filtering.</param>
/// <param name="InteriorLimit">Interior limit in [1, 63].</param>
/// <param name="HevThreshold">High-edge-variance threshold in [0, 2].</param>
/// <param name="FilterInner">Whether the inner 4x4 edges are filtered too.</param>
internal readonly record struct Vp8FilterStrength(int Limit, int InteriorLimit, int HevThreshold, bool FilterInner);
