"""Where items come from: each adapter maps a source's raw shape onto model.RawItem."""
