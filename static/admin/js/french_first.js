// French is the source language: open the French tab first, whatever the UI language.
window.MODELTRANSLATION_AUTO_SELECT_CURRENT_LANGUAGE = false;
