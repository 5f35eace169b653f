"""Country codes: Mirakl addresses carry ISO 3166-1 alpha-3 (``FRA``), the core wants alpha-2 (``FR``).

The table is ISO 3166-1 (249 codes, from the iso-codes data set) plus ``XKX``/``XK`` (Kosovo, a
user-assigned code in wide use). It is parsed on first use, not at import.
"""

from __future__ import annotations

from functools import cache

# Each entry is five letters: the alpha-3 code followed by its alpha-2 code.
_TABLE = """
ABWAW AFGAF AGOAO AIAAI ALAAX ALBAL ANDAD AREAE ARGAR ARMAM ASMAS ATAAQ ATFTF ATGAG AUSAU AUTAT
AZEAZ BDIBI BELBE BENBJ BESBQ BFABF BGDBD BGRBG BHRBH BHSBS BIHBA BLMBL BLRBY BLZBZ BMUBM BOLBO
BRABR BRBBB BRNBN BTNBT BVTBV BWABW CAFCF CANCA CCKCC CHECH CHLCL CHNCN CIVCI CMRCM CODCD COGCG
COKCK COLCO COMKM CPVCV CRICR CUBCU CUWCW CXRCX CYMKY CYPCY CZECZ DEUDE DJIDJ DMADM DNKDK DOMDO
DZADZ ECUEC EGYEG ERIER ESHEH ESPES ESTEE ETHET FINFI FJIFJ FLKFK FRAFR FROFO FSMFM GABGA GBRGB
GEOGE GGYGG GHAGH GIBGI GINGN GLPGP GMBGM GNBGW GNQGQ GRCGR GRDGD GRLGL GTMGT GUFGF GUMGU GUYGY
HKGHK HMDHM HNDHN HRVHR HTIHT HUNHU IDNID IMNIM INDIN IOTIO IRLIE IRNIR IRQIQ ISLIS ISRIL ITAIT
JAMJM JEYJE JORJO JPNJP KAZKZ KENKE KGZKG KHMKH KIRKI KNAKN KORKR KWTKW LAOLA LBNLB LBRLR LBYLY
LCALC LIELI LKALK LSOLS LTULT LUXLU LVALV MACMO MAFMF MARMA MCOMC MDAMD MDGMG MDVMV MEXMX MHLMH
MKDMK MLIML MLTMT MMRMM MNEME MNGMN MNPMP MOZMZ MRTMR MSRMS MTQMQ MUSMU MWIMW MYSMY MYTYT NAMNA
NCLNC NERNE NFKNF NGANG NICNI NIUNU NLDNL NORNO NPLNP NRUNR NZLNZ OMNOM PAKPK PANPA PCNPN PERPE
PHLPH PLWPW PNGPG POLPL PRIPR PRKKP PRTPT PRYPY PSEPS PYFPF QATQA REURE ROURO RUSRU RWARW SAUSA
SDNSD SENSN SGPSG SGSGS SHNSH SJMSJ SLBSB SLESL SLVSV SMRSM SOMSO SPMPM SRBRS SSDSS STPST SURSR
SVKSK SVNSI SWESE SWZSZ SXMSX SYCSC SYRSY TCATC TCDTD TGOTG THATH TJKTJ TKLTK TKMTM TLSTL TONTO
TTOTT TUNTN TURTR TUVTV TWNTW TZATZ UGAUG UKRUA UMIUM URYUY USAUS UZBUZ VATVA VCTVC VENVE VGBVG
VIRVI VNMVN VUTVU WLFWF WSMWS YEMYE ZAFZA ZMBZM ZWEZW XKXXK
"""


@cache
def alpha2_by_alpha3() -> dict[str, str]:
    return {entry[:3]: entry[3:] for entry in _TABLE.split()}


@cache
def _alpha2_codes() -> frozenset[str]:
    return frozenset(alpha2_by_alpha3().values())


def to_alpha2(code: str | None) -> str | None:
    """``FRA`` → ``FR``; an alpha-2 code passes through; None or blank → None.

    Raises ValueError for a code that is in neither table: a country is never guessed.
    """
    if code is None or not code.strip():
        return None
    value = code.strip().upper()
    if len(value) == 3 and value in alpha2_by_alpha3():
        return alpha2_by_alpha3()[value]
    if len(value) == 2 and value in _alpha2_codes():
        return value
    raise ValueError(f"unknown country code {code!r} (Mirakl sends ISO 3166-1 alpha-3, e.g. FRA)")
