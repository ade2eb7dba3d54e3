package dev.parley.examples.ordering;

/** The bundled menu, loaded once for all tests (it is immutable). */
final class TestMenus {
    static final Menu TONYS = Menu.tonysPizza();

    private TestMenus() {}
}
