package com.example.agents;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's pom snippet is this project's pom, line for line: what the build runs is what users copy. */
class ReadmeSnippetTest {

    @Test
    void theReadmeSnippetIsThisProjectsPom() throws Exception {
        String readme = Files.readString(Path.of("../../README.md"));
        int section = readme.indexOf("## Use loomas in your project");
        int start = readme.indexOf("```xml\n", section) + "```xml\n".length();
        int end = readme.indexOf("```", start);
        List<String> snippet = readme.substring(start, end).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        List<String> pom = Files.readAllLines(Path.of("pom.xml")).stream().map(String::strip).toList();
        int at = 0;
        for (String line : snippet) {
            int found = pom.subList(at, pom.size()).indexOf(line);
            assertTrue(found >= 0, "README snippet line not in pom.xml (in this order): " + line);
            at += found + 1;
        }
        assertTrue(snippet.size() > 30, "the snippet has the dependencies and the build: " + snippet.size() + " lines");
    }
}
