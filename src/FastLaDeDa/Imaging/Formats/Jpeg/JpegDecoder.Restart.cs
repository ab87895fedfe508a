namespace FastLaDeDa.Imaging.Formats.Jpeg;

internal sealed partial class JpegDecoder
{
    /// <summary>
    /// Moves to the entropy-coded segment after the restart marker that ends the current one —
    /// libjpeg's <c>read_restart_marker</c> with <c>jpeg_resync_to_restart</c>'s recovery when that
    /// marker is not the expected RSTn: a marker from the past or an invalid one is skipped with the
    /// data after it, one of the next two restarts or a non-restart marker is left for later (the
    /// interval then decodes from no data, and true is returned), anything else is taken as the
    /// restart.
    /// </summary>
    private bool AdvanceToRestartSegment(ReadOnlySpan<byte> data)
    {
        int marker = _segment.Marker;
        if (marker == JpegEntropySegment.EndOfFile) throw Truncated();
        bool parked = false;
        int desired = _nextRestartNumber;
        if (marker != Rst0 + desired)
        {
            while (true)
            {
                int action;
                if (marker < Sof0) action = 2; // not a valid marker: scan on
                else if (marker is < Rst0 or > Rst7) action = 3; // a real marker: stay in front of it
                else if (marker == Rst0 + ((desired + 1) & 7) || marker == Rst0 + ((desired + 2) & 7)) action = 3;
                else if (marker == Rst0 + ((desired - 1) & 7) || marker == Rst0 + ((desired - 2) & 7)) action = 2;
                else action = 1;

                if (action == 1) break; // take this marker as the restart
                if (action == 3)
                {
                    parked = true;
                    break;
                }
                // Skip the next segment's data to the marker after it, and decide again.
                _segment.Load(data, _segment.NextPosition);
                marker = _segment.Marker;
                if (marker == JpegEntropySegment.EndOfFile) throw Truncated();
            }
        }
        if (parked)
            _segment.SetEmpty(marker, _segment.NextPosition);
        else
            _segment.Load(data, _segment.NextPosition);
        _nextRestartNumber = (_nextRestartNumber + 1) & 7;
        return parked;
    }
}
