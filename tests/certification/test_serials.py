import pytest

from app.certification.serials import ALPHABET, SerialInvalid, check_character, new_serial, normalise


def test_new_serials_are_well_formed_and_distinct():
    serials = {new_serial() for _ in range(2000)}
    assert len(serials) == 2000
    for serial in list(serials)[:50]:
        assert normalise(serial) == serial
        assert serial.startswith("LG-") and len(serial) == 19


def test_typing_is_forgiven_but_not_mistakes():
    serial = new_serial()
    assert normalise(serial.lower().replace("-", " ")) == serial
    assert normalise(serial.replace("0", "O").replace("1", "I")) == serial


def test_every_single_character_typo_is_caught_by_the_check_character():
    compact = normalise(new_serial()).replace("-", "")[2:]
    for position in range(len(compact)):
        for char in ALPHABET:
            if char == compact[position]:
                continue
            typo = compact[:position] + char + compact[position + 1:]
            with pytest.raises(SerialInvalid) as caught:
                normalise(typo)
            assert caught.value.reason == "check"


def test_swapping_neighbours_is_caught():
    # Luhn mod N misses only a swap of the first and last symbols (0 and Z); everything else is caught.
    body = "7K2M9QXD4HTR"
    serial = body + check_character(body)
    for i in range(len(body) - 1):
        swapped = serial[:i] + serial[i + 1] + serial[i] + serial[i + 2:]
        if swapped != serial and {serial[i], serial[i + 1]} != {"0", "Z"}:
            with pytest.raises(SerialInvalid):
                normalise(swapped)


@pytest.mark.parametrize("text", ["", "LG-1234", "hello world", "LG-7K2M-9QXD-4HTR-B-EXTRA", "LG-7K2M-9QXD-4HTR-U"])
def test_malformed_serials_are_refused(text):
    with pytest.raises(SerialInvalid) as caught:
        normalise(text)
    assert caught.value.reason == "format"
