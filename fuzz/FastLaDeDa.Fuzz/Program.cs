using FastLaDeDa.Fuzz;

// fastladeda-fuzz image|jpeg|png|bmp-gif|webp|safetensors|pth     run under afl-fuzz (SharpFuzz persistent mode)
// fastladeda-fuzz seeds DIR SHARED          write the seed corpora
// fastladeda-fuzz replay TARGET FILE...     run inputs once, outside AFL (to reproduce a crash)
if (args.Length >= 1 && FuzzTargets.TryGet(args[0], out var target))
{
    SharpFuzz.Fuzzer.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        target(buffer.ToArray());
    });
    return 0;
}
if (args.Length == 3 && args[0] == "seeds")
{
    SeedCorpus.Write(args[1], args[2]);
    return 0;
}
if (args.Length >= 3 && args[0] == "replay" && FuzzTargets.TryGet(args[1], out var replay))
{
    foreach (string file in args[2..])
    {
        replay(File.ReadAllBytes(file));
        Console.WriteLine($"{file}: ok");
    }
    return 0;
}
Console.Error.WriteLine("usage: FastLaDeDa.Fuzz image|jpeg|png|bmp-gif|webp|safetensors|pth | seeds DIR SHARED | replay TARGET FILE...");
return 2;
