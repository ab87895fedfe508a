using System.Text;
using FastLaDeDa.Detection;
using FastLaDeDa.Errors;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Weights;
using Xunit.Abstractions;

namespace FastLaDeDa.Tests.Hardening;

/// <summary>
/// The deterministic cousin of the AFL fuzzing in <c>fuzz/</c>: bit flips, byte overwrites,
/// truncations and header edits of real seed files (golden images, the official checkpoints and
/// our safetensors conversion of them), fed through the public entry points. Every case either
/// succeeds or throws one of the exception types SECURITY.md documents — nothing else.
/// </summary>
public class MutationTests(ITestOutputHelper output)
{
    private const int CasesPerSeed = 400;

    private static readonly string[] ImageSeeds =
        ["fake_cifake_jpg32.jpg", "palette_255x257.png", "noise_rgba_240x160.png", "real_nature_progressive_jpg888.jpg", "fake_progan_png256.png"];

    [SkippableFact]
    public void Mutated_images_only_succeed_or_raise_image_errors()
    {
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(31));
        var counts = new Counts();
        foreach (string seed in ImageSeeds)
        {
            byte[] original = File.ReadAllBytes(SharedData.Require("golden", "images", seed));
            var random = new Random(seed.Length * 7919);
            for (int i = 0; i < CasesPerSeed; i++)
            {
                byte[] mutated = Mutate(original, random, headerLength: Math.Min(64, original.Length));
                Run(counts, seed, i, () => detector.Score(mutated), ex => ex is ImageDecodeException);
            }
        }
        Report(counts, "images");
    }

    [SkippableFact]
    public void Mutated_checkpoints_only_load_or_raise_weights_errors()
    {
        var counts = new Counts();
        foreach (string name in new[] { "WildRF_Tiny_LaDeDa.pth", "ForenSynth_Tiny_LaDeDa.pth" })
        {
            byte[] original = File.ReadAllBytes(Goldens.OfficialCheckpoint(name));
            // The pickle is the first entry: its local header is at 0 and its bytes follow the name.
            int pickleStart = 30 + BitConverter.ToUInt16(original, 26) + BitConverter.ToUInt16(original, 28);
            var random = new Random(name.Length);
            for (int i = 0; i < CasesPerSeed; i++)
            {
                byte[] mutated = i % 2 == 0
                    ? Mutate(original, random, headerLength: original.Length)
                    : EditRegion(original, random, pickleStart, 400); // the pickle opcodes themselves
                Run(counts, name, i, () => Detector.FromStateDict(PthCheckpoint.Read(mutated, "mutated.pth")), ex => ex is WeightsFormatException);
            }
        }
        Report(counts, ".pth");
    }

    [SkippableFact]
    public void Mutated_safetensors_only_load_or_raise_weights_errors()
    {
        var counts = new Counts();
        using var stream = new MemoryStream();
        var dict = PthCheckpoint.Read(Goldens.OfficialCheckpoint("WildRF_Tiny_LaDeDa.pth"));
        SafeTensors.Write(stream, dict.Tensors, new Dictionary<string, string> { ["model"] = "tiny_ladeda", ["preprocess"] = "right_diag" });
        byte[] original = stream.ToArray();
        int headerEnd = 8 + (int)BitConverter.ToUInt64(original, 0);
        var random = new Random(17);
        for (int i = 0; i < 3 * CasesPerSeed; i++)
        {
            byte[] mutated = (i % 3) switch
            {
                0 => Mutate(original, random, headerLength: original.Length),
                1 => EditJsonDigits(original, random, headerEnd), // offsets, shapes
                _ => EditRegion(original, random, 0, headerEnd),  // header bytes, length prefix included
            };
            Run(counts, "safetensors", i, () => Detector.FromStateDict(SafeTensors.Read(mutated, "mutated.safetensors")), ex => ex is WeightsFormatException);
        }
        Report(counts, "safetensors");
    }

    private sealed class Counts
    {
        public int Succeeded, Rejected;
    }

    private static void Run(Counts counts, string seed, int index, Action action, Func<Exception, bool> allowed)
    {
        try
        {
            action();
            counts.Succeeded++;
        }
        catch (Exception ex) when (allowed(ex))
        {
            counts.Rejected++;
        }
        catch (Exception ex)
        {
            Assert.Fail($"{seed} mutation {index}: undocumented {ex.GetType().Name}: {ex.Message}");
        }
    }

    private void Report(Counts counts, string what)
    {
        output.WriteLine($"{what}: {counts.Succeeded + counts.Rejected} cases, {counts.Succeeded} succeeded, {counts.Rejected} rejected with a documented error");
        Assert.True(counts.Rejected > 0, "no mutation was rejected: the mutations do not reach the parser");
    }

    /// <summary>One of: flip 1–8 bits, overwrite 1–4 bytes, truncate, or duplicate/delete a slice (within the first <paramref name="headerLength"/> bytes for the edits).</summary>
    private static byte[] Mutate(byte[] original, Random random, int headerLength)
    {
        byte[] copy = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0:
                for (int n = random.Next(1, 9); n > 0; n--) copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                return copy;
            case 1:
                for (int n = random.Next(1, 5); n > 0; n--) copy[random.Next(headerLength)] = (byte)random.Next(256);
                return copy;
            case 2:
                return copy[..random.Next(copy.Length)];
            default:
                int start = random.Next(copy.Length), length = random.Next(1, Math.Min(64, copy.Length - start) + 1);
                return random.Next(2) == 0
                    ? [.. copy[..(start + length)], .. copy[start..]]   // the slice twice
                    : [.. copy[..start], .. copy[(start + length)..]]; // the slice removed
        }
    }

    private static byte[] EditRegion(byte[] original, Random random, int start, int length)
    {
        byte[] copy = (byte[])original.Clone();
        int end = Math.Min(copy.Length, start + length);
        for (int n = random.Next(1, 4); n > 0; n--) copy[random.Next(start, end)] = (byte)random.Next(256);
        return copy;
    }

    /// <summary>Changes one digit of the JSON header (a shape, an offset, a length) to another digit or a minus sign.</summary>
    private static byte[] EditJsonDigits(byte[] original, Random random, int headerEnd)
    {
        byte[] copy = (byte[])original.Clone();
        var digits = Enumerable.Range(8, headerEnd - 8).Where(i => copy[i] is >= (byte)'0' and <= (byte)'9').ToArray();
        copy[digits[random.Next(digits.Length)]] = "0123456789-"u8[random.Next(11)];
        return copy;
    }
}
