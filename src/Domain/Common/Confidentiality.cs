namespace ECase.Domain.Common;

/// <summary>Vertraulichkeitsstufe, ordered from least to most restricted (xdomea codes in comments).</summary>
public enum Confidentiality
{
    /// <summary>offen (003)</summary>
    Open = 0,
    /// <summary>VS – Nur für den Dienstgebrauch (002)</summary>
    Restricted = 1,
    /// <summary>VS – Vertraulich (005)</summary>
    Confidential = 2,
    /// <summary>Geheim (001)</summary>
    Secret = 3,
    /// <summary>Streng geheim (004)</summary>
    TopSecret = 4,
}
