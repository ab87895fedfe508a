namespace FastLaDeDa.Tests.Imaging.Webp;

/// <summary>
/// The boolean entropy encoder of RFC 6386 section 7.3 (carry propagation into the bytes already
/// written), written from the RFC: an encoder independent of
/// the decoder under test, used to round-trip bits and to craft VP8 frames.
/// </summary>
internal sealed class Vp8TestBoolEncoder
{
    private readonly List<byte> _output = [];
    private uint _range = 255;
    private uint _bottom;
    private int _bitCount = 24;

    /// <summary>Writes <paramref name="bit"/> with probability <paramref name="probability"/>/256 of being 0.</summary>
    public void Bool(int probability, bool bit)
    {
        uint split = 1 + (((_range - 1) * (uint)probability) >> 8);
        if (bit)
        {
            _bottom += split;
            _range -= split;
        }
        else
        {
            _range = split;
        }
        while (_range < 128)
        {
            _range <<= 1;
            if ((_bottom & (1u << 31)) != 0) AddOneToOutput();
            _bottom <<= 1;
            if (--_bitCount == 0)
            {
                _output.Add((byte)(_bottom >> 24));
                _bottom &= (1 << 24) - 1;
                _bitCount = 8;
            }
        }
    }

    /// <summary>Writes an unsigned <paramref name="bits"/>-bit literal, most significant bit first (probability 1/2).</summary>
    public void Literal(int value, int bits)
    {
        while (bits-- > 0) Bool(128, ((value >> bits) & 1) != 0);
    }

    /// <summary>Writes a flag.</summary>
    public void Flag(bool value) => Bool(128, value);

    /// <summary>Writes a magnitude literal followed by its sign (the header's signed fields).</summary>
    public void Signed(int value, int bits)
    {
        Literal(Math.Abs(value), bits);
        Flag(value < 0);
    }

    private void AddOneToOutput()
    {
        int i = _output.Count;
        while (--i >= 0 && _output[i] == 255) _output[i] = 0;
        _output[i]++;
    }

    /// <summary>Pushes the pending bits out with zero padding (more than RFC 6386's flush writes) and returns everything written.</summary>
    public byte[] Finish()
    {
        for (int i = 0; i < 64; i++) Bool(128, false);
        return [.. _output];
    }
}
